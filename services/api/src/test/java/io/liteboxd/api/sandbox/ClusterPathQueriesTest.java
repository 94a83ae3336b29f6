package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.api.sandbox.reconcile.ReconcileRun;
import io.liteboxd.api.sandbox.reconcile.ReconcileRunRepository;
import io.liteboxd.api.storage.TimeText;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The queries only the cluster paths run (pod informer, delete, reconciler, PVC mapping), here
 * without a cluster, so that they run on both databases (ClusterPathQueriesPostgresTest).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterPathQueriesTest implements SqliteTestDatabase {

    static final Instant T = Instant.parse("2026-04-01T08:00:00.123456Z");

    @Inject
    SandboxRepository sandboxes;

    @Inject
    SandboxVersionRepository versions;

    @Inject
    StatusHistoryRepository history;

    @Inject
    ReconcileRunRepository runs;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "cluster-path-tests");
    }

    @BeforeEach
    void empty() {
        history.deleteAll();
        sandboxes.deleteAll();
    }

    static String at(int seconds) {
        return TimeText.format(T.plusSeconds(seconds));
    }

    List<String> listed(boolean includeTerminating) {
        return versions.listVisibleVersions(includeTerminating).stream().map(RowVersion::id).toList();
    }

    static List<String> ids(List<Sandbox> rows) {
        return rows.stream().map(Sandbox::id).toList();
    }

    @Test
    void aSandboxThroughItsLifeOnTheStateQueries() {
        sandboxes.save(SandboxRows.Shape.of("life0001", "active", "creating", T).row());

        assertEquals(1, sandboxes.observe("life0001", "creating", "running", "", "uid-1", "Running", "10.0.0.7", at(1)));
        assertEquals(0, sandboxes.observe("life0001", "creating", "running", "", "uid-1", "Running", "10.0.0.7", at(2)),
                "only from the expected state");
        Sandbox running = sandboxes.findById("life0001").orElseThrow();
        assertEquals("running", running.lifecycleStatus());
        assertEquals("10.0.0.7", running.podIp());
        assertEquals(T.plusSeconds(1), running.lastSeenAt());
        assertEquals(T.plusSeconds(1), running.updatedAt());

        assertEquals(1, sandboxes.transition("life0001", "running", "lost", "pod missing", at(3)));
        assertEquals(1, sandboxes.setStatus("life0001", "failed", "gave up", at(4)));
        assertEquals(List.of("life0001"), listed(false));
        assertEquals(List.of("life0001"), ids(sandboxes.listUndeleted()));

        assertEquals(1, sandboxes.markDeleteRequested("life0001", "delete requested", at(5)));
        assertEquals(0, sandboxes.markDeleteRequested("life0001", "delete requested", at(6)), "recorded once");
        assertEquals(List.of(), listed(false));
        assertEquals(List.of("life0001"), listed(true), "terminating ones on request");
        Sandbox terminating = sandboxes.findById("life0001").orElseThrow();
        assertEquals("requested", terminating.deletionPhase());
        assertEquals(T.plusSeconds(5), terminating.deletionStartedAt());
        assertEquals(T.plusSeconds(5), terminating.deletionNextRetryAt());

        assertEquals(1, sandboxes.markDeleted("life0001", "delete completed", at(7)));
        assertEquals(0, sandboxes.markDeleted("life0001", "delete completed", at(8)));
        Sandbox deleted = sandboxes.findById("life0001").orElseThrow();
        assertEquals(T.plusSeconds(7), deleted.deletedAt());
        assertTrue(deleted.isDeleted());
        assertEquals(List.of(), ids(sandboxes.listUndeleted()));
        assertEquals(0, sandboxes.countLive());
    }

    @Test
    void aPersistentSandboxStopsAndResumesWithItsExpiryMoved() {
        sandboxes.save(SandboxRows.Shape.of("keep0001", "active", "running", T).row());
        assertEquals(1, sandboxes.stop("keep0001", "running", "stopped by request", at(10), at(11)));
        assertEquals(0, sandboxes.stop("keep0001", "running", "stopped by request", at(10), at(12)), "recorded once");
        Sandbox stopped = sandboxes.findById("keep0001").orElseThrow();
        assertEquals("stopped", stopped.lifecycleStatus());
        assertEquals(T.plusSeconds(10), stopped.stoppedAt());
        assertEquals("", stopped.podUid());
        assertEquals("", stopped.podIp());

        Instant moved = stopped.expiresAt().plusSeconds(100);
        assertEquals(1, sandboxes.resume("keep0001", "pending", "start requested", TimeText.format(moved), at(110)));
        assertEquals(0, sandboxes.resume("keep0001", "pending", "start requested", TimeText.format(moved), at(111)),
                "only a stopped row resumes");
        Sandbox resumed = sandboxes.findById("keep0001").orElseThrow();
        assertEquals("pending", resumed.lifecycleStatus());
        assertEquals(null, resumed.stoppedAt());
        assertEquals(moved, resumed.expiresAt());
        assertEquals(1, sandboxes.restoreExpiry("keep0001", at(5), at(112)));
        assertEquals(T.plusSeconds(5), sandboxes.findById("keep0001").orElseThrow().expiresAt());
    }

    @Test
    void volumeClaimRowsNewestFirstWithoutTheOnesDeletedWithTheirClaim() {
        sandboxes.save(SandboxRows.Shape.of("vol00001", "active", "running", T).claim("pvc-a", "Retain").row());
        sandboxes.save(SandboxRows.Shape.of("vol00002", "active", "running", T.plusSeconds(10)).claim("pvc-b", "Delete")
                .row());
        sandboxes.save(new SandboxRows.Shape("vol00003", "tpl", "ns", "deleted", "deleted", T, T.plusSeconds(5),
                "completed", "pvc-c", "Delete").row());
        sandboxes.save(SandboxRows.Shape.of("novol001", "active", "running", T).row());
        assertEquals(List.of("vol00002", "vol00001"), ids(sandboxes.listWithVolumeClaims()));
    }

    @Test
    void aReconcileRunIsUpdatedWhenItFinishes() {
        ReconcileRun run = runs.save(new ReconcileRun("rec-0000aaaa", "scheduled", T, null, 0, 0, 0, 0, "running", ""));
        runs.update(new ReconcileRun(run.id(), run.triggerType(), run.startedAt(), T.plusSeconds(2), 3, 2, 1, 1,
                "completed", ""));
        ReconcileRun done = runs.findById("rec-0000aaaa").orElseThrow();
        assertEquals(T.plusSeconds(2), done.finishedAt());
        assertEquals("completed", done.status());
        assertEquals(List.of("rec-0000aaaa"), runs.newest(5).stream().map(ReconcileRun::id).toList());
    }
}
