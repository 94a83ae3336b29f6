package io.liteboxd.common.kubernetes;

import static io.liteboxd.common.kubernetes.SandboxContract.STARTUP_FAILED_ANNOTATION;

import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a sandbox pod says about its sandbox (docs/contract.md, "Pod status"), as the lifecycle
 * status the API stores, spelled as upstream's API does ({@link #wire()}). One mapping for both
 * sides: the API's pod informer writes it into the rows, and the controller fails a pod that is
 * still {@link #PENDING} at its startup deadline. The row's other statuses ({@code creating},
 * {@code deleted}, {@code lost}) are the API's own; no pod stands for them.
 */
public enum SandboxPodStatus {
    PENDING("pending"),
    RUNNING("running"),
    SUCCEEDED("succeeded"),
    FAILED("failed"),
    TERMINATING("terminating"),
    UNKNOWN("unknown");

    /** Waiting reasons after which the pod will never start by itself. */
    private static final Set<String> HOPELESS = Set.of("InvalidImageName", "ErrImageNeverPull",
            "CreateContainerConfigError", "CreateContainerError", "RunContainerError");

    private final String wire;

    SandboxPodStatus(String wire) {
        this.wire = wire;
    }

    /** The status as the API stores and returns it. */
    public String wire() {
        return wire;
    }

    /**
     * The status a pod stands for (spec §10.2): Ready is {@code running}; a startup failure on the
     * pod is {@code failed} for good, even if the pod turns Ready later.
     */
    public static SandboxPodStatus of(V1Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return TERMINATING;
        }
        if (startupFailure(pod) != null) {
            return FAILED;
        }
        var status = pod.getStatus();
        String phase = status == null || status.getPhase() == null ? "Pending" : status.getPhase();
        return switch (phase) {
            case "Running" -> isReady(pod) ? RUNNING : PENDING;
            case "Succeeded" -> SUCCEEDED;
            case "Failed" -> FAILED;
            case "Pending" -> {
                String waiting = waitingReason(pod);
                yield waiting != null && HOPELESS.contains(waiting) ? FAILED : PENDING;
            }
            default -> UNKNOWN;
        };
    }

    /** Why a pod of this status is in it, for the status history; empty where nothing more is known. */
    public String reason(V1Pod pod) {
        return switch (this) {
            case RUNNING -> "sandbox is ready";
            case SUCCEEDED -> "container exited with code 0";
            case FAILED -> failureReason(pod);
            default -> "";
        };
    }

    /** Why a pod is not Ready yet: the startup-timeout reason. */
    public static String pendingReason(V1Pod pod) {
        String waiting = waitingReason(pod);
        if (waiting != null) {
            return "container waiting: " + waiting;
        }
        var status = pod.getStatus();
        if (status == null || status.getPhase() == null || "Pending".equals(status.getPhase())) {
            return "pod not started";
        }
        return "readiness probe not passing";
    }

    /** The {@code liteboxd.io/startup-failed} verdict on the pod, or null. */
    public static String startupFailure(V1Pod pod) {
        return Annotations.get(pod, STARTUP_FAILED_ANNOTATION);
    }

    private static String failureReason(V1Pod pod) {
        String startup = startupFailure(pod);
        if (startup != null) {
            return startup;
        }
        var status = pod.getStatus();
        if (status != null && "Evicted".equals(status.getReason())) {
            // The kubelet's words say which limit: the workspace's sizeLimit, ephemeral storage, ...
            return "evicted: " + Objects.requireNonNullElse(status.getMessage(), "").strip();
        }
        String waiting = waitingReason(pod);
        if (waiting != null) {
            return "startup failed: " + waiting;
        }
        V1ContainerStateTerminated terminated = containerStatuses(pod).stream()
                .map(V1ContainerStatus::getState).filter(Objects::nonNull)
                .map(s -> s.getTerminated()).filter(Objects::nonNull).findFirst().orElse(null);
        return terminated == null ? "pod failed"
                : "container exited with code " + terminated.getExitCode()
                        + (terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")");
    }

    private static boolean isReady(V1Pod pod) {
        return pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Phase Running with the Ready condition True: what a warm pool counts as a ready pod. */
    public static boolean runningAndReady(V1Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase()) && isReady(pod);
    }

    private static String waitingReason(V1Pod pod) {
        return containerStatuses(pod).stream().map(V1ContainerStatus::getState).filter(Objects::nonNull)
                .map(s -> s.getWaiting()).filter(Objects::nonNull)
                .map(V1ContainerStateWaiting::getReason).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static List<V1ContainerStatus> containerStatuses(V1Pod pod) {
        var status = pod.getStatus();
        return status == null || status.getContainerStatuses() == null ? List.of() : status.getContainerStatuses();
    }
}
