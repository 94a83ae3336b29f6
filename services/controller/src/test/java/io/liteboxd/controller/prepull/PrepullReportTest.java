package io.liteboxd.controller.prepull;

import static io.liteboxd.common.prepull.PrepullContract.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1DaemonSetStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pre-pull outcomes: done on every node, failed by the kubelet's reason or a timeout, still pulling. */
class PrepullReportTest {

    static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant BEFORE = CREATED.plusSeconds(30);
    static final Instant AFTER = CREATED.plusSeconds(61);

    static V1DaemonSet ds(int ready, int total) {
        return new V1DaemonSet()
                .metadata(new V1ObjectMeta().name("prepull-pp-0000ab01").generation(1L)
                        .creationTimestamp(CREATED.atOffset(ZoneOffset.UTC))
                        .annotations(Map.of(TIMEOUT_ANNOTATION, "60")))
                .status(new V1DaemonSetStatus().observedGeneration(1L).numberReady(ready).desiredNumberScheduled(total)
                        .currentNumberScheduled(total).numberMisscheduled(0));
    }

    static V1Pod pulling(String reason) {
        return new V1Pod().metadata(new V1ObjectMeta().name("prepull-pp-0000ab01-x")).status(new V1PodStatus()
                .initContainerStatuses(List.of(new V1ContainerStatus().name(PULL_CONTAINER).state(new V1ContainerState()
                        .waiting(new V1ContainerStateWaiting().reason(reason).message("Back-off pulling image"))))));
    }

    @Test
    void everyNodeReadyCompletes() {
        PrepullReport report = PrepullReport.of(ds(2, 2), List.of(), BEFORE);
        assertEquals(new PrepullReport(COMPLETED, 2, 2, null), report);
        assertTrue(report.isFinal());
        assertEquals(Map.of(READY_ANNOTATION, "2", TOTAL_ANNOTATION, "2", STATUS_ANNOTATION, COMPLETED), report.annotations());
    }

    @Test
    void anUnobservedGenerationOrNoNodesIsStillPulling() {
        V1DaemonSet stale = ds(1, 1);
        stale.getMetadata().generation(2L);
        assertEquals(PULLING, PrepullReport.of(stale, List.of(), BEFORE).status());
        assertEquals(PULLING, PrepullReport.of(ds(0, 0), List.of(), BEFORE).status());
    }

    @Test
    void aBackOffFailsOnlyAfterTheTimeoutButAHopelessReasonAtOnce() {
        assertEquals(PULLING, PrepullReport.of(ds(0, 1), List.of(pulling("ImagePullBackOff")), BEFORE).status(),
                "the pull may still succeed");
        assertEquals(new PrepullReport(FAILED, 0, 1, "ImagePullBackOff: Back-off pulling image"),
                PrepullReport.of(ds(0, 1), List.of(pulling("ImagePullBackOff")), AFTER));
        assertEquals(new PrepullReport(FAILED, 0, 1, "InvalidImageName: Back-off pulling image"),
                PrepullReport.of(ds(0, 1), List.of(pulling("InvalidImageName")), BEFORE));
    }

    @Test
    void noReasonPastTheTimeoutIsATimeout() {
        assertEquals(new PrepullReport(FAILED, 1, 3, "timed out after 60s with 1 of 3 nodes done"),
                PrepullReport.of(ds(1, 3), List.of(pulling("PodInitializing")), AFTER));
        assertEquals(CREATED.plusSeconds(60), PrepullReport.deadline(ds(0, 1)));
    }

    @Test
    void theTimeoutDefaultsToTenMinutes() {
        V1DaemonSet ds = ds(0, 1);
        ds.getMetadata().annotations(Map.of(TIMEOUT_ANNOTATION, "soon"));
        assertEquals(Duration.ofMinutes(10), PrepullReport.timeout(ds));
        ds.getMetadata().annotations(null);
        assertEquals(Duration.ofMinutes(10), PrepullReport.timeout(ds));
    }

    @Test
    void aWriteIsDueOnlyWhenTheAnnotationsDiffer() {
        PrepullReport report = new PrepullReport(PULLING, 1, 2, null);
        assertTrue(report.differsFrom(Map.of()));
        assertFalse(report.differsFrom(Map.of(READY_ANNOTATION, "1", TOTAL_ANNOTATION, "2", STATUS_ANNOTATION, PULLING,
                IMAGE_ANNOTATION, "busybox")), "other annotations do not count");
        assertTrue(report.differsFrom(Map.of(READY_ANNOTATION, "0", TOTAL_ANNOTATION, "2", STATUS_ANNOTATION, PULLING)));
    }
}
