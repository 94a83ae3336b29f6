package io.liteboxd.controller.idle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.liteboxd.common.kubernetes.SandboxContract;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When idle suspend stops a persistent sandbox: max(last activity, pod Ready) + idle timeout. */
class IdleDecisionTest {

    static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    static V1Deployment deployment(int replicas, Map<String, String> annotations) {
        return new V1Deployment().metadata(new V1ObjectMeta().name("sandbox-0000abcd").annotations(new HashMap<>(annotations)))
                .spec(new V1DeploymentSpec().replicas(replicas));
    }

    static Map<String, String> idle(long seconds, Instant lastActivity) {
        Map<String, String> a = new HashMap<>();
        a.put(SandboxContract.IDLE_TIMEOUT_ANNOTATION, Long.toString(seconds));
        if (lastActivity != null) {
            a.put(SandboxContract.LAST_ACTIVITY_ANNOTATION, lastActivity.toString());
        }
        return a;
    }

    @Test
    void dueAnIdleTimeoutAfterTheLaterOfLastActivityAndReady() {
        Optional<Instant> ready = Optional.of(NOW.minusSeconds(100));
        assertEquals(new IdleDecision.NotYet(NOW.minusSeconds(100).plusSeconds(300)),
                IdleDecision.of(deployment(1, idle(300, null)), ready, NOW), "no activity yet: from Ready");
        assertEquals(new IdleDecision.NotYet(NOW.minusSeconds(10).plusSeconds(300)),
                IdleDecision.of(deployment(1, idle(300, NOW.minusSeconds(10))), ready, NOW), "activity after Ready");
        assertEquals(new IdleDecision.NotYet(NOW.minusSeconds(100).plusSeconds(300)),
                IdleDecision.of(deployment(1, idle(300, NOW.minusSeconds(5000))), ready, NOW),
                "activity from before the last start does not count");
    }

    @Test
    void idleForTheWholeTimeoutIsSuspendedWithTheReason() {
        assertEquals(new IdleDecision.Suspend("idle for 60s"),
                IdleDecision.of(deployment(1, idle(60, NOW.minusSeconds(60))), Optional.of(NOW.minusSeconds(600)), NOW),
                "due at the instant");
        assertEquals(new IdleDecision.Suspend("idle for 5s"),
                IdleDecision.of(deployment(1, idle(5, null)), Optional.of(NOW.minusSeconds(6)), NOW));
    }

    @Test
    void nothingIsDueWithoutATimeoutWhileStoppedBeingDeletedOrNotReadyYet() {
        Optional<Instant> longAgo = Optional.of(NOW.minusSeconds(10_000));
        assertEquals(new IdleDecision.Never(), IdleDecision.of(deployment(1, Map.of()), longAgo, NOW));
        assertEquals(new IdleDecision.Never(), IdleDecision.of(deployment(1, idle(0, null)), longAgo, NOW));
        assertEquals(new IdleDecision.Never(), IdleDecision.of(deployment(1,
                Map.of(SandboxContract.IDLE_TIMEOUT_ANNOTATION, "ten")), longAgo, NOW), "unreadable: never");
        assertEquals(new IdleDecision.Never(), IdleDecision.of(deployment(0, idle(5, null)), longAgo, NOW));
        Map<String, String> stopped = idle(5, null);
        stopped.put(SandboxContract.STOPPED_AT_ANNOTATION, NOW.minusSeconds(1).toString());
        assertEquals(new IdleDecision.Never(), IdleDecision.of(deployment(1, stopped), longAgo, NOW));
        V1Deployment deleting = deployment(1, idle(5, null));
        deleting.getMetadata().deletionTimestamp(OffsetDateTime.now());
        assertEquals(new IdleDecision.Never(), IdleDecision.of(deleting, longAgo, NOW));
        assertEquals(new IdleDecision.AwaitReady(), IdleDecision.of(deployment(1, idle(5, NOW.minusSeconds(600))),
                Optional.empty(), NOW), "just woken, pod not Ready: not suspended for the time it was stopped");
    }

    @Test
    void readySinceIsTheLatestReadyTransitionOfAPodNotBeingDeleted() {
        Instant t1 = NOW.minusSeconds(50);
        Instant t2 = NOW.minusSeconds(20);
        assertEquals(Optional.of(t1), IdleDecision.readySince(List.of(pod(t1, "True", false), pod(t2, "False", false))));
        assertEquals(Optional.of(t1), IdleDecision.readySince(List.of(pod(t1, "True", false), pod(t2, "True", true))));
        assertEquals(Optional.empty(), IdleDecision.readySince(List.of(new V1Pod().metadata(new V1ObjectMeta()))));
        assertEquals(Optional.empty(), IdleDecision.readySince(List.of()));
    }

    static V1Pod pod(Instant transition, String ready, boolean deleting) {
        V1ObjectMeta meta = new V1ObjectMeta().name("sandbox-0000abcd-x");
        if (deleting) {
            meta.deletionTimestamp(OffsetDateTime.now());
        }
        return new V1Pod().metadata(meta).status(new V1PodStatus().conditions(List.of(new V1PodCondition()
                .type("Ready").status(ready).lastTransitionTime(transition.atOffset(ZoneOffset.UTC)))));
    }
}
