package io.liteboxd.controller.idle;

import static io.liteboxd.common.kubernetes.SandboxContract.LAST_ACTIVITY_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.STOPPED_AT_ANNOTATION;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/** What idle suspend does with one persistent sandbox's Deployment at one instant. */
sealed interface IdleDecision {

    /** No idle timeout, already stopped (or stopping), or being deleted. */
    record Never() implements IdleDecision {}

    /**
     * Running, but no pod is Ready yet (starting, or just woken): idle time counts from when it
     * is, so nothing is due; the pod's Ready event brings the key back.
     */
    record AwaitReady() implements IdleDecision {}

    /** Suspend at {@code due} unless activity moves it. */
    record NotYet(Instant due) implements IdleDecision {}

    /** Idle for its whole timeout: scale to 0 with reason {@code idle for <n>s}. */
    record Suspend(String reason) implements IdleDecision {}

    /**
     * Due = {@code max(last-activity, readySince) + idle-timeout}. {@code readySince} is when the
     * sandbox's current pod became Ready: a sandbox just started (by the API or a wake) is never
     * suspended for the silence before it was up, whatever an old {@code last-activity} says.
     */
    static IdleDecision of(V1Deployment deployment, Optional<Instant> readySince, Instant now) {
        Optional<Duration> timeout = PersistentDeployment.idleTimeout(deployment);
        if (timeout.isEmpty() || deployment.getMetadata().getDeletionTimestamp() != null
                || PersistentDeployment.replicas(deployment) == 0
                || Annotations.get(deployment, STOPPED_AT_ANNOTATION) != null) {
            return new Never();
        }
        if (readySince.isEmpty()) {
            return new AwaitReady();
        }
        Instant since = Annotations.instant(deployment, LAST_ACTIVITY_ANNOTATION)
                .filter(activity -> activity.isAfter(readySince.get()))
                .orElse(readySince.get());
        Instant due = since.plus(timeout.get());
        if (due.isAfter(now)) {
            return new NotYet(due);
        }
        return new Suspend("idle for " + timeout.get().toSeconds() + "s");
    }

    /** When the latest Ready pod of a sandbox (not being deleted) became Ready. */
    static Optional<Instant> readySince(Collection<V1Pod> pods) {
        return pods.stream()
                .filter(pod -> pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                        && pod.getStatus().getConditions() != null)
                .flatMap(pod -> pod.getStatus().getConditions().stream())
                .filter(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(V1PodCondition::getLastTransitionTime).filter(Objects::nonNull)
                .map(OffsetDateTime::toInstant)
                .max(Instant::compareTo);
    }
}
