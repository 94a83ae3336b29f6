package io.liteboxd.controller.idle;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.kubernetes.SandboxContract;
import java.time.OffsetDateTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A wake request is honoured only for a stopped Deployment that is not being deleted. */
class WakeDecisionTest {

    static final Map<String, String> REQUESTED = Map.of(SandboxContract.WAKE_REQUESTED_AT_ANNOTATION, "2026-11-30T12:00:00Z",
            SandboxContract.STOPPED_AT_ANNOTATION, "2026-11-30T11:00:00Z");

    @Test
    void aStoppedSandboxWithARequestIsWoken() {
        assertTrue(WakeDecision.wanted(IdleDecisionTest.deployment(0, REQUESTED)));
    }

    @Test
    void nothingElseIs() {
        assertFalse(WakeDecision.wanted(IdleDecisionTest.deployment(0,
                Map.of(SandboxContract.STOPPED_AT_ANNOTATION, "2026-11-30T11:00:00Z"))), "stopped, no request");
        assertFalse(WakeDecision.wanted(IdleDecisionTest.deployment(1, REQUESTED)), "already running");
        var deleting = IdleDecisionTest.deployment(0, REQUESTED);
        deleting.getMetadata().deletionTimestamp(OffsetDateTime.now());
        assertFalse(WakeDecision.wanted(deleting), "being deleted");
    }
}
