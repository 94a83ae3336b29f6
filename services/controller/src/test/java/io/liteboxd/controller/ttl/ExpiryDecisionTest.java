package io.liteboxd.controller.ttl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.SandboxContract;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a sandbox pod is due for deletion, and when it never is. */
class ExpiryDecisionTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static V1Pod pod(String expiresAt) {
        V1ObjectMeta meta = new V1ObjectMeta().name("sandbox-0000abcd");
        if (expiresAt != null) {
            meta.annotations(Map.of(SandboxContract.EXPIRES_AT_ANNOTATION, expiresAt));
        }
        return new V1Pod().metadata(meta);
    }

    @Test
    void aFutureExpiryIsLookedAtAgainThenAndAPassedOneExpires() {
        assertEquals(new ExpiryDecision.NotYet(NOW.plusSeconds(5)), ExpiryDecision.of(pod("2026-01-01T00:00:05Z"), NOW));
        assertEquals(new ExpiryDecision.Expire(NOW), ExpiryDecision.of(pod("2026-01-01T00:00:00Z"), NOW), "due at the instant");
        assertEquals(new ExpiryDecision.Expire(NOW.minusSeconds(60)),
                ExpiryDecision.of(pod("2025-12-31T23:59:00Z"), NOW), "passed while nobody led");
    }

    @Test
    void noExpiryAnUnreadableOneOrADeletionInProgressIsLeftAlone() {
        assertEquals(new ExpiryDecision.Never(), ExpiryDecision.of(pod(null), NOW), "ttl 0");
        assertEquals(new ExpiryDecision.Never(), ExpiryDecision.of(pod("soon"), NOW));
        V1Pod deleting = pod("2025-12-31T23:59:00Z");
        deleting.getMetadata().deletionTimestamp(OffsetDateTime.now());
        assertEquals(new ExpiryDecision.Never(), ExpiryDecision.of(deleting, NOW), "never a second DELETE");
    }

    @Test
    void aStoppedPersistentSandboxNeverExpiresWhileStopped() {
        var stopped = new io.kubernetes.client.openapi.models.V1Deployment().metadata(new V1ObjectMeta().name("sandbox-0000abcd")
                .annotations(Map.of(SandboxContract.EXPIRES_AT_ANNOTATION, "2025-01-01T00:00:00Z",
                        SandboxContract.STOPPED_AT_ANNOTATION, "2025-06-01T00:00:00Z")));
        assertEquals(new ExpiryDecision.Never(), ExpiryDecision.of(stopped, NOW));
        var running = new io.kubernetes.client.openapi.models.V1Deployment().metadata(new V1ObjectMeta().name("sandbox-0000abcd")
                .annotations(Map.of(SandboxContract.EXPIRES_AT_ANNOTATION, "2025-01-01T00:00:00Z")));
        assertEquals(new ExpiryDecision.Expire(Instant.parse("2025-01-01T00:00:00Z")), ExpiryDecision.of(running, NOW));
    }

    @Test
    void theEphemeralPathLeavesPersistentSandboxPodsAlone() {
        V1Pod persistentPod = pod("2025-01-01T00:00:00Z");
        persistentPod.getMetadata().labels(Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE,
                SandboxContract.PERSISTENT_LABEL, "true"));
        org.junit.jupiter.api.Assertions.assertFalse(SandboxExpiry.EPHEMERAL.test(persistentPod));
        persistentPod.getMetadata().labels(Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE));
        org.junit.jupiter.api.Assertions.assertTrue(SandboxExpiry.EPHEMERAL.test(persistentPod));
    }
}
