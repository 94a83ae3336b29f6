package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.api.error.ApiException;
import io.micronaut.http.HttpStatus;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * SANDBOX_MAX_LIVE on a real SQLite file (no cluster): rows not yet deleted count, terminating
 * ones too; over the cap 429 and nothing is written (create calls this before any Kubernetes call).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxAdmissionTest implements SqliteTestDatabase {

    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Inject
    SandboxAdmission admission;

    @Inject
    SandboxRepository sandboxes;

    @Inject
    StatusHistoryRepository history;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "admission-tests", "liteboxd.sandbox.limits.max-live", "3");
    }

    @BeforeEach
    void empty() {
        history.deleteAll();
        sandboxes.deleteAll();
    }

    void admit(String id) {
        admission.admit(SandboxRows.Shape.of(id, "active", "creating", T).row(),
                StatusHistory.of(id, "api", "", "creating", "create requested", T));
    }

    @Test
    void admitsUpToTheCapThenRefusesWith429AndWritesNothing() {
        admit("aaaa0001");
        admit("aaaa0002");
        admit("aaaa0003");
        ApiException e = assertThrows(ApiException.class, () -> admit("aaaa0004"));
        assertEquals(HttpStatus.TOO_MANY_REQUESTS, e.status());
        assertEquals("sandbox limit reached: 3 live sandboxes (SANDBOX_MAX_LIVE)", e.getMessage());
        assertEquals(3, sandboxes.count());
        assertTrue(sandboxes.findById("aaaa0004").isEmpty());
        assertEquals(3, history.count());
    }

    @Test
    void deletedRowsDoNotCountTerminatingAndFailedOnesDo() {
        sandboxes.save(SandboxRows.Shape.of("dddd0001", "deleted", "deleted", T).row());
        sandboxes.save(SandboxRows.Shape.of("dddd0002", "deleted", "deleted", T).row());
        sandboxes.save(SandboxRows.Shape.of("tttt0001", "deleted", "terminating", T).row());
        sandboxes.save(SandboxRows.Shape.of("ffff0001", "active", "failed", T).row());
        assertEquals(2, sandboxes.countLive());
        admit("aaaa0001");
        assertThrows(ApiException.class, () -> admit("aaaa0002"));
        assertEquals(3, sandboxes.countLive());
    }
}
