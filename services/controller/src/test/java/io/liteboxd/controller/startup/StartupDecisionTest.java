package io.liteboxd.controller.startup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.openapi.models.V1ContainerState;
import io.kubernetes.client.openapi.models.V1ContainerStateWaiting;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.liteboxd.common.kubernetes.SandboxContract;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pods fail at their startup deadline, with which reason, and which are left alone. */
class StartupDecisionTest {

    static final Instant DEADLINE = Instant.parse("2026-01-01T00:05:00Z");

    static V1Pod pod(V1PodStatus status) {
        Map<String, String> annotations = new HashMap<>();
        annotations.put(SandboxContract.STARTUP_DEADLINE_ANNOTATION, DEADLINE.toString());
        return new V1Pod().metadata(new V1ObjectMeta().name("sandbox-0000abcd").annotations(annotations)).status(status);
    }

    static V1PodStatus running(boolean ready) {
        return new V1PodStatus().phase("Running")
                .conditions(List.of(new V1PodCondition().type("Ready").status(ready ? "True" : "False")));
    }

    @Test
    void aPendingPodWaitsForItsDeadlineThenFailsWithWhatItIsWaitingFor() {
        V1Pod notReady = pod(running(false));
        assertEquals(new StartupDecision.NotYet(DEADLINE), StartupDecision.of(notReady, DEADLINE.minusSeconds(1)));
        assertEquals(new StartupDecision.Fail("startup timed out: readiness probe not passing"),
                StartupDecision.of(notReady, DEADLINE), "due at the instant");
        assertEquals(new StartupDecision.Fail("startup timed out: pod not started"),
                StartupDecision.of(pod(new V1PodStatus().phase("Pending")), DEADLINE.plusSeconds(60)));
        V1Pod pulling = pod(new V1PodStatus().phase("Pending").containerStatuses(List.of(new V1ContainerStatus()
                .name("main").state(new V1ContainerState().waiting(new V1ContainerStateWaiting().reason("ImagePullBackOff"))))));
        assertEquals(new StartupDecision.Fail("startup timed out: container waiting: ImagePullBackOff"),
                StartupDecision.of(pulling, DEADLINE.plusSeconds(1)));
    }

    @Test
    void readyTerminalTerminatingOrAlreadyFailedPodsAreLeftAlone() {
        Instant late = DEADLINE.plusSeconds(60);
        assertEquals(new StartupDecision.None(), StartupDecision.of(pod(running(true)), late), "Ready in time");
        assertEquals(new StartupDecision.None(), StartupDecision.of(pod(new V1PodStatus().phase("Succeeded")), late));
        assertEquals(new StartupDecision.None(), StartupDecision.of(pod(new V1PodStatus().phase("Failed")), late));
        V1Pod deleting = pod(running(false));
        deleting.getMetadata().deletionTimestamp(OffsetDateTime.now());
        assertEquals(new StartupDecision.None(), StartupDecision.of(deleting, late));
        V1Pod failed = pod(running(false));
        failed.getMetadata().getAnnotations().put(SandboxContract.STARTUP_FAILED_ANNOTATION, "startup timed out: x");
        assertEquals(new StartupDecision.None(), StartupDecision.of(failed, late), "the verdict is written once");
    }

    @Test
    void noReadableDeadlineIsNothingToEnforce() {
        V1Pod none = pod(running(false));
        none.getMetadata().getAnnotations().remove(SandboxContract.STARTUP_DEADLINE_ANNOTATION);
        assertEquals(new StartupDecision.None(), StartupDecision.of(none, DEADLINE.plusSeconds(60)));
        V1Pod garbled = pod(running(false));
        garbled.getMetadata().getAnnotations().put(SandboxContract.STARTUP_DEADLINE_ANNOTATION, "five minutes");
        assertEquals(new StartupDecision.None(), StartupDecision.of(garbled, DEADLINE.plusSeconds(60)));
    }
}
