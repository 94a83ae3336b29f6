package io.liteboxd.api.sandbox;

import static io.liteboxd.common.kubernetes.SandboxContract.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The status of a persistent sandbox from its Deployment and best pod (docs/contract.md, Status of
 * a persistent sandbox), and which pod is the best ({@link BestPod}, spec §11.5).
 */
class PersistentStatusTest {

    static V1Deployment deployment(int replicas, Map<String, String> annotations) {
        return new V1Deployment().metadata(new V1ObjectMeta().name("sandbox-1a2b3c4d").annotations(new HashMap<>(annotations)))
                .spec(new V1DeploymentSpec().replicas(replicas));
    }

    static V1Pod pod(String name, String phase, boolean ready, int createdMinute) {
        return new V1Pod().metadata(new V1ObjectMeta().name(name)
                        .creationTimestamp(OffsetDateTime.parse("2026-01-01T00:00:00Z").plusMinutes(createdMinute)))
                .status(new V1PodStatus().phase(phase).podIP("10.0.0." + createdMinute)
                        .conditions(List.of(new V1PodCondition().type("Ready").status(ready ? "True" : "False"))));
    }

    static V1Pod deleting(V1Pod pod) {
        pod.getMetadata().deletionTimestamp(OffsetDateTime.parse("2026-01-01T01:00:00Z"));
        return pod;
    }

    @Test
    void aReadyPodIsRunningAnyOtherPending() {
        V1Deployment running = deployment(1, Map.of(EXPIRES_AT_ANNOTATION, "2026-01-01T01:00:00Z"));
        PersistentStatus ready = PersistentStatus.of(running, pod("a", "Running", true, 1));
        assertEquals(LifecycleStatus.RUNNING, ready.status());
        assertEquals("a", ready.pod().getMetadata().getName());
        assertEquals(Instant.parse("2026-01-01T01:00:00Z"), ready.expiresAt());
        assertEquals(LifecycleStatus.PENDING, PersistentStatus.of(running, pod("a", "Running", false, 1)).status());
        assertEquals(LifecycleStatus.PENDING, PersistentStatus.of(running, pod("a", "Pending", false, 1)).status());
        PersistentStatus none = PersistentStatus.of(running, null);
        assertEquals(LifecycleStatus.PENDING, none.status());
        assertEquals("waiting for deployment to create pod", none.reason());
    }

    @Test
    void aPodGoingAwayIsARestartNotADeletion() {
        PersistentStatus replaced = PersistentStatus.of(deployment(1, Map.of()), deleting(pod("a", "Running", true, 1)));
        assertEquals(LifecycleStatus.PENDING, replaced.status());
        assertEquals("pod is being replaced", replaced.reason());
    }

    @Test
    void scaledToZeroIsStoppedWithTheStopReason() {
        PersistentStatus stopped = PersistentStatus.of(deployment(0, Map.of(STOPPED_AT_ANNOTATION, "2026-01-01T00:30:00Z",
                STOP_REASON_ANNOTATION, "idle for 600s")), deleting(pod("a", "Running", true, 1)));
        assertEquals(LifecycleStatus.STOPPED, stopped.status());
        assertEquals("idle for 600s", stopped.reason());
        assertEquals(Instant.parse("2026-01-01T00:30:00Z"), stopped.stoppedAt());
        assertNull(stopped.pod(), "a stopped sandbox shows no pod");
        PersistentStatus byHand = PersistentStatus.of(deployment(0, Map.of()), null);
        assertEquals(LifecycleStatus.STOPPED, byHand.status());
        assertEquals("scaled to 0 replicas", byHand.reason());
        assertNull(byHand.stoppedAt());
    }

    @Test
    void aDeploymentBeingDeletedIsTerminatingWhateverElse() {
        V1Deployment deployment = deployment(0, Map.of(STOPPED_AT_ANNOTATION, "2026-01-01T00:30:00Z"));
        deployment.getMetadata().deletionTimestamp(OffsetDateTime.parse("2026-01-01T01:00:00Z"));
        assertEquals(LifecycleStatus.TERMINATING, PersistentStatus.of(deployment, null).status());
    }

    @Test
    void aContainerThatCanNeverStartFails() {
        V1Pod pod = pod("a", "Pending", false, 1);
        pod.getStatus().containerStatuses(List.of(new V1ContainerStatus().name(MAIN_CONTAINER)
                .state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("InvalidImageName")))));
        assertEquals(LifecycleStatus.FAILED, PersistentStatus.of(deployment(1, Map.of()), pod).status());
    }

    @Test
    void theBestPodIsReadyThenRunningThenPendingNotDeletingNewest() {
        V1Pod oldReady = pod("old-ready", "Running", true, 1);
        V1Pod newReady = pod("new-ready", "Running", true, 2);
        V1Pod running = pod("running", "Running", false, 3);
        V1Pod pending = pod("pending", "Pending", false, 4);
        V1Pod gone = deleting(pod("gone", "Running", true, 5));
        assertEquals("new-ready", name(BestPod.of(List.of(gone, pending, running, oldReady, newReady))));
        assertEquals("running", name(BestPod.of(List.of(gone, pending, running))));
        assertEquals("pending", name(BestPod.of(List.of(gone, pending))));
        assertEquals("gone", name(BestPod.of(List.of(gone))));
        assertEquals(Optional.empty(), BestPod.of(List.of()));
    }

    static String name(Optional<V1Pod> pod) {
        return pod.orElseThrow().getMetadata().getName();
    }
}
