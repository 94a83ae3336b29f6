package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.api.sandbox.SandboxViews.SandboxList;
import io.liteboxd.api.storage.TimeText;
import io.micronaut.json.JsonMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The list's kept row views against a real SQLite file: the bytes equal a fresh serialization
 * of every listed row after inserts, status changes and deletions (no cluster needed).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxListCacheTest implements SqliteTestDatabase {

    @Inject
    SandboxListCache cache;

    @Inject
    SandboxRepository sandboxes;

    @Inject
    SandboxUrlTemplate urls;

    @Inject
    JsonMapper json;

    /** What the list returned before it kept views: every visible row, mapped and serialized now. */
    String fresh(boolean includeTerminating) throws Exception {
        List<Sandbox> rows = sandboxes.findAll().stream()
                .filter(s -> ("active".equals(s.desiredState()) && !"deleted".equals(s.lifecycleStatus()))
                        || (includeTerminating && "deleted".equals(s.desiredState()) && "terminating".equals(s.lifecycleStatus())))
                .sorted((a, b) -> b.createdAt().compareTo(a.createdAt()))
                .toList();
        return json.writeValueAsString(new SandboxList(rows.stream().map(s -> SandboxViews.of(s, null, urls, json)).toList()));
    }

    String listed(boolean includeTerminating) {
        return new String(cache.list(includeTerminating), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void followsEveryWriteOfARow() throws Exception {
        assertEquals("{\"items\":[]}", listed(true));
        Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            sandboxes.save(SandboxRows.Shape.of("list000" + i, "active", "pending", t0.plusSeconds(i)).row());
        }
        assertEquals(fresh(true), listed(true));
        assertEquals(5, json.readValue(listed(true), SandboxList.class).items().size());

        // A status change (the informer's path) and a deletion request: both move updated_at.
        String now = TimeText.format(Instant.now());
        assertEquals(1, sandboxes.observe("list0001", "pending", "running", "", "uid-1", "Running", "10.0.0.9", now));
        assertEquals(1, sandboxes.markDeleteRequested("list0003", "user", TimeText.format(Instant.now().plusMillis(1))));
        assertEquals(fresh(true), listed(true), "changed rows are read again");
        assertEquals(fresh(false), listed(false), "terminating rows only when asked for");
        assertEquals(4, json.readValue(listed(false), SandboxList.class).items().size());

        sandboxes.markDeleted("list0003", "gone", TimeText.format(Instant.now().plusMillis(2)));
        sandboxes.deleteById("list0004");
        assertEquals(fresh(true), listed(true), "deleted rows leave the list");
        assertEquals(List.of("list0002", "list0001", "list0000"),
                json.readValue(listed(true), SandboxList.class).items().stream().map(SandboxViews.SandboxView::id).toList());
    }
}
