package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ApiKeyUseTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void theFirstUseIsWrittenThenOnePerMinutePerKey() {
        ApiKeyUse uses = new ApiKeyUse();
        assertTrue(uses.shouldRecord("k1", T0));
        assertFalse(uses.shouldRecord("k1", T0.plusSeconds(1)));
        assertFalse(uses.shouldRecord("k1", T0.plusSeconds(59)));
        assertTrue(uses.shouldRecord("k2", T0.plusSeconds(1)), "keys are counted apart");
        assertTrue(uses.shouldRecord("k1", T0.plusSeconds(60)));
        assertFalse(uses.shouldRecord("k1", T0.plusSeconds(100)));
    }
}
