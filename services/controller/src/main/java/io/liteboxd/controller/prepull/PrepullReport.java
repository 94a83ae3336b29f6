package io.liteboxd.controller.prepull;

import static io.liteboxd.common.prepull.PrepullContract.*;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.prepull.PrepullContract;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a pre-pull DaemonSet and its pods say at an instant, as the annotations the controller
 * reports on the DaemonSet (docs/contract.md, "Pre-pull DaemonSets"): nodes done of nodes
 * scheduled, and {@code completed}, {@code failed} with the kubelet's reason or a timeout, or
 * still {@code pulling}. Pure, so every outcome is unit-tested.
 */
record PrepullReport(String status, int ready, int total, String error) {

    /** Waiting reasons that mean the image will not come (after the timeout) or never can (at once). */
    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull",
            "InvalidImageName", "RegistryUnavailable");
    private static final Set<String> HOPELESS = Set.of("InvalidImageName", "ErrImageNeverPull");
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);

    /** {@code pods}: the DaemonSet's pods (those with its pre-pull id). */
    static PrepullReport of(V1DaemonSet ds, Collection<V1Pod> pods, Instant now) {
        var dsStatus = ds.getStatus();
        int total = dsStatus == null || dsStatus.getDesiredNumberScheduled() == null ? 0 : dsStatus.getDesiredNumberScheduled();
        int ready = dsStatus == null || dsStatus.getNumberReady() == null ? 0 : dsStatus.getNumberReady();
        boolean observed = dsStatus != null && Objects.equals(dsStatus.getObservedGeneration(), ds.getMetadata().getGeneration());
        if (observed && total > 0 && ready >= total) {
            return new PrepullReport(COMPLETED, ready, total, null);
        }
        boolean pastDeadline = now.isAfter(deadline(ds));
        String failure = pullFailure(pods, pastDeadline);
        if (failure != null) {
            return new PrepullReport(FAILED, ready, total, failure);
        }
        if (pastDeadline) {
            return new PrepullReport(FAILED, ready, total, "timed out after " + timeout(ds).toSeconds() + "s with "
                    + ready + " of " + total + " nodes done");
        }
        return new PrepullReport(PULLING, ready, total, null);
    }

    boolean isFinal() {
        return PrepullContract.isFinal(status);
    }

    /** The annotations that say this (the error only when there is one). */
    Map<String, String> annotations() {
        Map<String, String> report = new LinkedHashMap<>();
        report.put(READY_ANNOTATION, Integer.toString(ready));
        report.put(TOTAL_ANNOTATION, Integer.toString(total));
        report.put(STATUS_ANNOTATION, status);
        if (error != null) {
            report.put(ERROR_ANNOTATION, error);
        }
        return report;
    }

    /** Whether the DaemonSet does not say this yet: a write is due. */
    boolean differsFrom(Map<String, String> current) {
        return annotations().entrySet().stream().anyMatch(e -> !e.getValue().equals(current.get(e.getKey())));
    }

    /** When the DaemonSet times out: created + its {@code prepull-timeout-seconds} (default 10 min). */
    static Instant deadline(V1DaemonSet ds) {
        var created = ds.getMetadata().getCreationTimestamp();
        return (created == null ? Instant.now() : created.toInstant()).plus(timeout(ds));
    }

    static Duration timeout(V1DaemonSet ds) {
        try {
            String value = Annotations.get(ds, TIMEOUT_ANNOTATION);
            long seconds = value == null ? 0 : Long.parseLong(value);
            return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TIMEOUT;
        } catch (NumberFormatException e) {
            return DEFAULT_TIMEOUT;
        }
    }

    /** The kubelet's reason for a pull that is not happening, once it counts as a failure. */
    private static String pullFailure(Collection<V1Pod> pods, boolean pastDeadline) {
        for (V1Pod pod : pods) {
            if (pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) {
                continue;
            }
            for (V1ContainerStatus container : pod.getStatus().getInitContainerStatuses()) {
                var waiting = container.getState() == null ? null : container.getState().getWaiting();
                if (!PULL_CONTAINER.equals(container.getName()) || waiting == null || waiting.getReason() == null
                        || !PULL_FAILURES.contains(waiting.getReason())) {
                    continue;
                }
                if (pastDeadline || HOPELESS.contains(waiting.getReason())) {
                    return waiting.getReason() + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
                }
            }
        }
        return null;
    }
}
