package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateTerminated;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pod the kubelet evicted (workspace or ephemeral storage over its limit) fails the sandbox with the kubelet's reason. */
class SandboxStatusSyncTest {

    @Test
    void anEvictedPodFailsWithTheKubeletsMessage() {
        V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("p")).status(new V1PodStatus().phase("Failed")
                .reason("Evicted").message("Usage of EmptyDir volume \"workspace\" exceeds the limit \"16Mi\". ")
                .containerStatuses(List.of(new V1ContainerStatus().name("main").state(new V1ContainerState()
                        .terminated(new V1ContainerStateTerminated().exitCode(137).reason("ContainerStatusUnknown"))))));
        assertEquals("failed", SandboxStatusSync.statusOf(pod));
        assertEquals("evicted: Usage of EmptyDir volume \"workspace\" exceeds the limit \"16Mi\".",
                SandboxStatusSync.reasonFor(pod, "failed"));
    }

    @Test
    void otherFailuresKeepTheirExitCode() {
        V1Pod pod = new V1Pod().metadata(new V1ObjectMeta().name("p")).status(new V1PodStatus().phase("Failed")
                .containerStatuses(List.of(new V1ContainerStatus().name("main").state(new V1ContainerState()
                        .terminated(new V1ContainerStateTerminated().exitCode(3).reason("Error"))))));
        assertEquals("container exited with code 3 (Error)", SandboxStatusSync.reasonFor(pod, "failed"));
    }
}
