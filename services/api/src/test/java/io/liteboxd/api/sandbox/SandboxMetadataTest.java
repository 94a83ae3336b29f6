package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** GET /sandboxes/metadata over HTTP on rows written to a real SQLite file (no cluster needed). */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxMetadataTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    SandboxRepository sandboxes;

    ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "metadata-tests");
    }

    static Sandbox row(String id, String template, String lifecycle, String desired, String phase,
                       String created, String deleted) {
        return new SandboxRows.Shape(id, template, "ns", desired, lifecycle, Instant.parse(created),
                deleted == null ? null : Instant.parse(deleted), phase, "", "").row();
    }

    @BeforeAll
    void seed() {
        api = new ApiClient(http, "admin", "metadata-tests");
        sandboxes.save(row("aaaa0001", "python", "running", "active", "", "2026-01-01T00:00:00Z", null));
        sandboxes.save(row("aaaa0002", "python", "deleted", "deleted", "completed", "2026-01-02T00:00:00Z",
                "2026-01-02T01:00:00Z"));
        sandboxes.save(row("bbbb0003", "node", "failed", "active", "", "2026-01-03T00:00:00Z", null));
        for (int i = 0; i < 120; i++) {
            sandboxes.save(row(String.format("cccc%04d", i), "bulk", "pending", "active", "", "2025-06-01T00:00:00Z", null));
        }
    }

    Map<?, ?> query(String params) {
        Reply reply = api.send(HttpRequest.GET("/api/v1/sandboxes/metadata" + params));
        assertEquals(HttpStatus.OK, reply.status(), String.valueOf(reply.body()));
        return reply.map();
    }

    static List<String> ids(Map<?, ?> page) {
        return ((List<?>) page.get("items")).stream().map(m -> (String) ((Map<?, ?>) m).get("id")).toList();
    }

    @Test
    void listsEveryRowNewestFirstWithClampedPaging() {
        Map<?, ?> first = query("");
        assertEquals(123, first.get("total"));
        assertEquals(1, first.get("page"));
        assertEquals(20, first.get("page_size"));
        assertEquals(List.of("bbbb0003", "aaaa0002", "aaaa0001"), ids(first).subList(0, 3), "deleted rows too");
        Map<?, ?> big = query("?page_size=1000&page=abc");
        assertEquals(100, big.get("page_size"));
        assertEquals(1, big.get("page"));
        assertEquals(100, ids(big).size());
        assertEquals(List.of(), query("?page=99").get("items"), "past the end: [], never null");
        ((List<?>) first.get("items")).forEach(item -> assertFalse(((Map<?, ?>) item).containsKey("accessToken")));
    }

    @Test
    void filtersCombine() {
        assertEquals(List.of("aaaa0002", "aaaa0001"), ids(query("?id=aaaa")));
        assertEquals(List.of("aaaa0001"), ids(query("?template=python&lifecycle_status=running")));
        assertEquals(List.of("aaaa0002"), ids(query("?desired_state=deleted&deletion_phase=completed")));
        assertEquals(List.of("bbbb0003", "aaaa0002"),
                ids(query("?created_from=2026-01-02T00:00:00Z&created_to=2026-01-03T00:00:00Z")), "inclusive");
        assertEquals(List.of("aaaa0002"), ids(query("?deleted_from=2026-01-01T00:00:00%2B00:00")));
        assertEquals(0, query("?id=%25").get("total"), "LIKE wildcards in the prefix are literal");
    }

    @Test
    void badTimestampsAre400() {
        for (String name : List.of("created_from", "created_to", "deleted_from", "deleted_to")) {
            Reply reply = api.send(HttpRequest.GET("/api/v1/sandboxes/metadata?" + name + "=yesterday"));
            assertEquals(HttpStatus.BAD_REQUEST, reply.status());
            assertEquals(Map.of("error", "invalid " + name + ", expected RFC3339"), reply.body());
        }
    }
}
