package io.liteboxd.api.sandbox;

import static io.liteboxd.common.kubernetes.SandboxContract.EXPIRES_AT_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.STOPPED_AT_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.STOP_REASON_ANNOTATION;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.SandboxPodStatus;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * What a persistent sandbox's Deployment and its best pod say about the sandbox
 * (docs/contract.md, Status of a persistent sandbox): Deployment being deleted →
 * {@code terminating}; scaled to 0 → {@code stopped} (reason from {@code stop-reason}); a Ready
 * pod → {@code running}; a pod that can never start → {@code failed}; otherwise {@code pending},
 * also while a pod is going away (a restart). The Deployment gone is the caller's {@code deleted}. Pure.
 *
 * @param pod the pod whose uid, phase and IP the row shows; null when stopped or none exists
 * @param stoppedAt the Deployment's {@code stopped-at} (null while not stopped)
 * @param expiresAt the Deployment's {@code expires-at} (null = never or unreadable)
 */
record PersistentStatus(LifecycleStatus status, String reason, @Nullable V1Pod pod, @Nullable Instant stoppedAt,
                        @Nullable Instant expiresAt) {

    static PersistentStatus of(V1Deployment deployment, @Nullable V1Pod pod) {
        Instant expiresAt = Annotations.instant(deployment, EXPIRES_AT_ANNOTATION).orElse(null);
        if (deployment.getMetadata().getDeletionTimestamp() != null) {
            return new PersistentStatus(LifecycleStatus.TERMINATING, "deployment is being deleted", pod, null, expiresAt);
        }
        Integer replicas = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
        if (replicas != null && replicas == 0) {
            String reason = Annotations.get(deployment, STOP_REASON_ANNOTATION);
            Instant stoppedAt = Annotations.instant(deployment, STOPPED_AT_ANNOTATION).orElse(null);
            return new PersistentStatus(LifecycleStatus.STOPPED,
                    reason == null || reason.isEmpty() ? "scaled to 0 replicas" : reason,
                    null, stoppedAt, expiresAt);
        }
        if (pod == null) {
            return new PersistentStatus(LifecycleStatus.PENDING, "waiting for deployment to create pod", null, null,
                    expiresAt);
        }
        SandboxPodStatus podStatus = SandboxPodStatus.of(pod);
        return switch (podStatus) {
            case RUNNING -> new PersistentStatus(LifecycleStatus.RUNNING, "persistent sandbox is ready", pod, null,
                    expiresAt);
            case FAILED -> new PersistentStatus(LifecycleStatus.FAILED, podStatus.reason(pod), pod, null, expiresAt);
            case TERMINATING -> new PersistentStatus(LifecycleStatus.PENDING, "pod is being replaced", pod, null,
                    expiresAt);
            default -> new PersistentStatus(LifecycleStatus.PENDING, "waiting for pod readiness", pod, null, expiresAt);
        };
    }
}
