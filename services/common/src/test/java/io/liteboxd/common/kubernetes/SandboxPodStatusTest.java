package io.liteboxd.common.kubernetes;

import static io.liteboxd.common.kubernetes.SandboxPodStatus.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod → sandbox status mapping both the API and the controller use (docs/contract.md, "Pod status"). */
class SandboxPodStatusTest {

    static V1Pod pod(V1PodStatus status) {
        return new V1Pod().metadata(new V1ObjectMeta().name("sandbox-0000abcd")).status(status);
    }

    static V1PodStatus waiting(String phase, String reason) {
        return new V1PodStatus().phase(phase).containerStatuses(List.of(new V1ContainerStatus().name("main")
                .state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason(reason)))));
    }

    static V1PodStatus running(boolean ready) {
        return new V1PodStatus().phase("Running")
                .conditions(List.of(new V1PodCondition().type("Ready").status(ready ? "True" : "False")));
    }

    @Test
    void phasesAndReadinessMapToTheUpstreamSpelling() {
        assertEquals(PENDING, SandboxPodStatus.of(pod(null)), "no status yet");
        assertEquals(PENDING, SandboxPodStatus.of(pod(new V1PodStatus().phase("Pending"))));
        assertEquals(PENDING, SandboxPodStatus.of(pod(running(false))), "running but not Ready");
        assertEquals(RUNNING, SandboxPodStatus.of(pod(running(true))));
        assertEquals(SUCCEEDED, SandboxPodStatus.of(pod(new V1PodStatus().phase("Succeeded"))));
        assertEquals(FAILED, SandboxPodStatus.of(pod(new V1PodStatus().phase("Failed"))));
        assertEquals(UNKNOWN, SandboxPodStatus.of(pod(new V1PodStatus().phase("Unknown"))));
        assertEquals(List.of("pending", "running", "succeeded", "failed", "terminating", "unknown"),
                List.of(values()).stream().map(SandboxPodStatus::wire).toList());
    }

    @Test
    void aHopelessWaitingReasonFailsAtOnceAndAnOrdinaryOneStaysPending() {
        V1Pod broken = pod(waiting("Pending", "InvalidImageName"));
        assertEquals(FAILED, SandboxPodStatus.of(broken));
        assertEquals("startup failed: InvalidImageName", FAILED.reason(broken));
        assertEquals(PENDING, SandboxPodStatus.of(pod(waiting("Pending", "ImagePullBackOff"))));
    }

    @Test
    void deletionWinsOverEverythingAndAStartupFailureOverThePhase() {
        V1Pod failedThenReady = pod(running(true));
        failedThenReady.getMetadata().annotations(Map.of(SandboxContract.STARTUP_FAILED_ANNOTATION,
                "startup timed out: readiness probe not passing"));
        assertEquals(FAILED, SandboxPodStatus.of(failedThenReady), "failed for good, even once Ready");
        assertEquals("startup timed out: readiness probe not passing", FAILED.reason(failedThenReady));
        failedThenReady.getMetadata().deletionTimestamp(OffsetDateTime.now());
        assertEquals(TERMINATING, SandboxPodStatus.of(failedThenReady));
    }

    @Test
    void thePendingReasonSaysWhatTheSandboxIsWaitingFor() {
        assertEquals("pod not started", SandboxPodStatus.pendingReason(pod(null)));
        assertEquals("pod not started", SandboxPodStatus.pendingReason(pod(new V1PodStatus().phase("Pending"))));
        assertEquals("container waiting: ImagePullBackOff",
                SandboxPodStatus.pendingReason(pod(waiting("Pending", "ImagePullBackOff"))));
        assertEquals("readiness probe not passing", SandboxPodStatus.pendingReason(pod(running(false))));
    }

    @Test
    void anEvictedPodFailsWithTheKubeletsMessage() {
        V1Pod pod = pod(new V1PodStatus().phase("Failed")
                .reason("Evicted").message("Usage of EmptyDir volume \"workspace\" exceeds the limit \"16Mi\". ")
                .containerStatuses(List.of(new V1ContainerStatus().name("main").state(new V1ContainerState()
                        .terminated(new V1ContainerStateTerminated().exitCode(137).reason("ContainerStatusUnknown"))))));
        assertEquals(FAILED, SandboxPodStatus.of(pod));
        assertEquals("evicted: Usage of EmptyDir volume \"workspace\" exceeds the limit \"16Mi\".", FAILED.reason(pod));
    }

    @Test
    void otherFailuresKeepTheirExitCode() {
        V1Pod pod = pod(new V1PodStatus().phase("Failed")
                .containerStatuses(List.of(new V1ContainerStatus().name("main").state(new V1ContainerState()
                        .terminated(new V1ContainerStateTerminated().exitCode(3).reason("Error"))))));
        assertEquals("container exited with code 3 (Error)", FAILED.reason(pod));
        assertEquals("pod failed", FAILED.reason(pod(new V1PodStatus().phase("Failed"))));
        assertEquals("sandbox is ready", RUNNING.reason(pod(running(true))));
        assertEquals("", PENDING.reason(pod(null)));
    }
}
