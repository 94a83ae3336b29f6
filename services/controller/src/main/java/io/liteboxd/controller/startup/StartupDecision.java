package io.liteboxd.controller.startup;

import static io.liteboxd.common.kubernetes.SandboxContract.STARTUP_DEADLINE_ANNOTATION;

import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.SandboxPodStatus;
import java.time.Instant;
import java.util.Optional;

/** What the startup-deadline reconciler does with one sandbox pod at one instant. */
sealed interface StartupDecision {

    /** Nothing to enforce: no (readable) deadline, or the pod is no longer pending. */
    record None() implements StartupDecision {}

    /** Still pending, deadline ahead: look again then. */
    record NotYet(Instant deadline) implements StartupDecision {}

    /** Pending past its deadline: write {@code reason} as the pod's startup failure. */
    record Fail(String reason) implements StartupDecision {}

    /**
     * Pending is {@link SandboxPodStatus#PENDING}: not Ready, not terminal, not terminating and no
     * startup failure yet, so a pod that became Ready in time, or failed otherwise, is left alone.
     */
    static StartupDecision of(V1Pod pod, Instant now) {
        Optional<Instant> deadline = Annotations.instant(pod, STARTUP_DEADLINE_ANNOTATION);
        if (deadline.isEmpty() || SandboxPodStatus.of(pod) != SandboxPodStatus.PENDING) {
            return new None();
        }
        if (deadline.get().isAfter(now)) {
            return new NotYet(deadline.get());
        }
        return new Fail("startup timed out: " + SandboxPodStatus.pendingReason(pod));
    }
}
