package io.liteboxd.api.sandbox;

import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.SandboxPodStatus;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which of a sandbox's pods exec, files, logs and the status use when there are several (a
 * persistent sandbox during a restart): spec §11.5's order, Ready over Running over Pending over
 * the rest, a pod being deleted last, the newest of equals. Pure.
 */
final class BestPod {

    private BestPod() {}

    static Optional<V1Pod> of(List<V1Pod> pods) {
        return pods.stream().max(Comparator.comparingInt(BestPod::rank).thenComparing(BestPod::created,
                Comparator.nullsFirst(Comparator.<OffsetDateTime>naturalOrder())));
    }

    private static int rank(V1Pod pod) {
        if (pod.getMetadata() != null && pod.getMetadata().getDeletionTimestamp() != null) {
            return 0;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Running".equals(phase)) {
            return SandboxPodStatus.of(pod) == SandboxPodStatus.RUNNING ? 4 : 3;
        }
        return "Pending".equals(phase) ? 2 : 1;
    }

    private static OffsetDateTime created(V1Pod pod) {
        return pod.getMetadata() == null ? null : pod.getMetadata().getCreationTimestamp();
    }
}
