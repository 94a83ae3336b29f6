package io.liteboxd.controller.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PoolDemandTest {

    private final Instant now = Instant.parse("2026-11-30T12:00:00Z");
    private final PoolDemand demand = new PoolDemand(Duration.ofMinutes(5));

    @Test
    void countsHitsAndMissesOncePerPodWithinTheWindow() {
        assertTrue(demand.record("web", "uid-1", now.minusSeconds(10), true, now));
        assertFalse(demand.record("web", "uid-1", now.minusSeconds(10), true, now), "the same pod again (an update)");
        assertTrue(demand.record("web", "uid-2", now.minusSeconds(20), false, now));
        assertTrue(demand.record("other", "uid-3", now.minusSeconds(20), true, now));
        assertFalse(demand.record("web", "uid-4", now.minusSeconds(301), true, now), "before the window");
        assertEquals(new PoolDemand.Counts(1, 1), demand.counts("web", now));
        assertEquals(new PoolDemand.Counts(0, 0), demand.counts("none", now));
    }

    @Test
    void forgetsWhatLeavesTheWindow() {
        demand.record("web", "uid-1", now.minusSeconds(200), true, now);
        demand.record("web", "uid-2", now.minusSeconds(10), true, now);
        assertEquals(new PoolDemand.Counts(1, 0), demand.counts("web", now.plusSeconds(120)));
    }
}
