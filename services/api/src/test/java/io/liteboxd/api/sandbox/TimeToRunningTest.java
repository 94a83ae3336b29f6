package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.api.SqliteTestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code liteboxd_sandbox_time_to_running_seconds} on a real SQLite file: the first move to
 * running is recorded, any later one (a readiness flap, a persistent sandbox's restart) is not.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimeToRunningTest implements SqliteTestDatabase {

    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Inject
    TimeToRunning timeToRunning;

    @Inject
    SandboxRepository sandboxes;

    @Inject
    StatusHistoryRepository history;

    @Inject
    MeterRegistry registry;

    Sandbox row;

    @BeforeEach
    void oneSandbox() {
        history.deleteAll();
        sandboxes.deleteAll();
        row = sandboxes.save(SandboxRows.Shape.of("0000abcd", "active", "pending", T).row());
    }

    @Test
    void onlyTheFirstMoveToRunningIsRecorded() {
        long before = timer().count();
        double seconds = timer().totalTime(TimeUnit.SECONDS);

        timeToRunning.moved(row, "pending", "running", T.plusMillis(1200));
        history.save(StatusHistory.of(row.id(), "system", "pending", "running", "", T.plusMillis(1200)));
        assertEquals(before + 1, timer().count());
        assertEquals(seconds + 1.2, timer().totalTime(TimeUnit.SECONDS), 1e-6);

        // Not Ready for a while, then Ready again: not a time to running.
        timeToRunning.moved(row, "pending", "running", T.plusSeconds(300));
        // A persistent sandbox started again after a stop: neither.
        timeToRunning.moved(row, "stopped", "running", T.plusSeconds(600));
        // Other transitions never count.
        timeToRunning.moved(row, "creating", "pending", T.plusSeconds(1));
        assertEquals(before + 1, timer().count());
    }

    @Test
    void aMoveStraightFromCreatingIsAFirstRun() {
        long before = timer().count();
        // As a pool claim may record it: no pending in between, no look at the history needed.
        history.save(StatusHistory.of(row.id(), "system", "pending", "running", "", T));
        timeToRunning.moved(row, "creating", "running", T.plusMillis(80));
        assertEquals(before + 1, timer().count());
    }

    private Timer timer() {
        return registry.get("liteboxd.sandbox.time.to.running").timer();
    }
}
