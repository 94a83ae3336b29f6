package io.liteboxd.controller.ttl;

import static io.liteboxd.common.kubernetes.SandboxContract.EXPIRES_AT_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.STOPPED_AT_ANNOTATION;

import io.kubernetes.client.common.KubernetesObject;
import io.liteboxd.common.kubernetes.Annotations;
import java.time.Instant;

/**
 * What a TTL reconciler does with one sandbox object at one instant: an ephemeral sandbox's pod,
 * or a persistent sandbox's Deployment (whose TTL is paused while it is stopped).
 */
sealed interface ExpiryDecision {

    /**
     * No {@code expires-at} (ttl 0), an unreadable one, the object is already being deleted, or it
     * is stopped ({@code stopped-at}: the TTL is paused; starting moves {@code expires-at} and
     * that change queues it again).
     */
    record Never() implements ExpiryDecision {}

    /** Look again at the expiry instant. */
    record NotYet(Instant at) implements ExpiryDecision {}

    /** The instant has passed: delete the object. */
    record Expire(Instant at) implements ExpiryDecision {}

    static ExpiryDecision of(KubernetesObject object, Instant now) {
        if (object.getMetadata().getDeletionTimestamp() != null
                || Annotations.get(object, STOPPED_AT_ANNOTATION) != null) {
            return new Never();
        }
        return Annotations.instant(object, EXPIRES_AT_ANNOTATION)
                .<ExpiryDecision>map(at -> at.isAfter(now) ? new NotYet(at) : new Expire(at))
                .orElseGet(Never::new);
    }
}
