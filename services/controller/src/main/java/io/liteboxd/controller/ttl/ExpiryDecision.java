package io.liteboxd.controller.ttl;

import static io.liteboxd.common.kubernetes.SandboxContract.EXPIRES_AT_ANNOTATION;

import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.Annotations;
import java.time.Instant;

/** What the TTL reconciler does with one sandbox pod at one instant. */
sealed interface ExpiryDecision {

    /** No {@code expires-at} (ttl 0), an unreadable one, or the pod is already being deleted. */
    record Never() implements ExpiryDecision {}

    /** Look again at the expiry instant. */
    record NotYet(Instant at) implements ExpiryDecision {}

    /** The instant has passed: delete the pod. */
    record Expire(Instant at) implements ExpiryDecision {}

    static ExpiryDecision of(V1Pod pod, Instant now) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return new Never();
        }
        return Annotations.instant(pod, EXPIRES_AT_ANNOTATION)
                .<ExpiryDecision>map(at -> at.isAfter(now) ? new NotYet(at) : new Expire(at))
                .orElseGet(Never::new);
    }
}
