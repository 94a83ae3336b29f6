package io.liteboxd.api.sandbox;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /sandboxes} as JSON bytes, built from each row's serialized view kept in memory.
 *
 * <p>Upstream's list has no paging, so with 10,000 live sandboxes every call read and mapped
 * 10,000 rows (about fifty time columns parsed per hundred rows) and serialized them again: 360 ms
 * at the median (bench/api-sandboxes.md). A row's view depends on the row alone (no token in the
 * list), and every write of a row sets {@code updated_at}; so each call reads only ids and change
 * times, re-reads and re-serializes just the rows whose change time differs from the copy held
 * here, and joins the rest as they are. Each API replica keeps its own copies; the database stays
 * the only truth, so another replica's write is seen on the next call.
 */
@Singleton
class SandboxListCache {

    private static final byte[] HEAD = "{\"items\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "]}".getBytes(StandardCharsets.US_ASCII);
    /** Rows re-read per query (bounded IN lists). */
    private static final int BATCH = 500;

    private record Entry(String updatedAt, byte[] json) {}

    private final Map<String, Entry> views = new ConcurrentHashMap<>();
    private final SandboxVersionRepository versions;
    private final SandboxUrlTemplate urls;
    private final JsonMapper json;

    SandboxListCache(SandboxVersionRepository versions, SandboxUrlTemplate urls, JsonMapper json) {
        this.versions = versions;
        this.urls = urls;
        this.json = json;
    }

    byte[] list(boolean includeTerminating) {
        List<RowVersion> rows = versions.listVisibleVersions(includeTerminating);
        refresh(rows);
        var out = new ByteArrayOutputStream(HEAD.length + TAIL.length + rows.size() * 700);
        out.writeBytes(HEAD);
        boolean first = true;
        for (RowVersion row : rows) {
            Entry entry = views.get(row.id());
            if (entry == null) {
                continue; // deleted between the two reads: as if listed a moment later
            }
            if (!first) {
                out.write(',');
            }
            out.writeBytes(entry.json());
            first = false;
        }
        out.writeBytes(TAIL);
        if (includeTerminating) {
            // Only the larger of the two lists prunes: the other would drop the views of
            // terminating rows that a concurrent call of this one is about to join.
            forgetAllBut(rows);
        }
        return out.toByteArray();
    }

    /**
     * Re-reads the rows whose change time differs from the copy held. A copy is keyed on the change
     * time as the version query returned it, so the next comparison is text to text; a row that
     * changed again between the two reads keeps the older text and is read once more next time.
     */
    private void refresh(List<RowVersion> rows) {
        Map<String, String> stale = new HashMap<>();
        for (RowVersion row : rows) {
            Entry entry = views.get(row.id());
            if (entry == null || !entry.updatedAt().equals(row.updatedAt())) {
                stale.put(row.id(), row.updatedAt());
            }
        }
        List<String> ids = new ArrayList<>(stale.keySet());
        for (int from = 0; from < ids.size(); from += BATCH) {
            for (Sandbox sandbox : versions.findByIdIn(ids.subList(from, Math.min(ids.size(), from + BATCH)))) {
                views.put(sandbox.id(), new Entry(stale.get(sandbox.id()), serialize(sandbox)));
            }
        }
    }

    private byte[] serialize(Sandbox sandbox) {
        try {
            return json.writeValueAsBytes(SandboxViews.of(sandbox, null, urls, json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops the copies of rows no longer listed, so memory follows the live sandboxes. */
    private void forgetAllBut(List<RowVersion> rows) {
        if (views.size() <= rows.size()) {
            return;
        }
        Set<String> listed = new HashSet<>(rows.size() * 2);
        rows.forEach(r -> listed.add(r.id()));
        views.keySet().retainAll(listed);
    }
}
