package io.liteboxd.api.sandbox.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** The reconcile routes without a cluster: past runs are read from SQLite; a trigger is refused. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcileRoutesTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    ReconcileRunRepository runs;

    @Inject
    ReconcileItemRepository items;

    ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "reconcile-tests");
    }

    @BeforeAll
    void login() {
        api = new ApiClient(http, "admin", "reconcile-tests");
    }

    @Test
    void runsAreListedNewestFirstWithTheirItems() {
        assertEquals(Map.of("items", List.of()), api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs")).body());
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        for (int i = 0; i < 25; i++) {
            runs.save(new ReconcileRun("rec-0000%04d".formatted(i), "scheduled", t0.plusSeconds(i),
                    t0.plusSeconds(i).plusMillis(5), 2, 2, 0, 0, "completed", ""));
        }
        runs.save(new ReconcileRun("rec-ffffffff", "manual", t0.plusSeconds(100), null, 1, 0, 1, 0, "running", ""));
        items.save(new ReconcileItem(null, "rec-ffffffff", "abcd0001", "missing_in_k8s", "none", "pod missing for 3s",
                t0.plusSeconds(100)));

        List<?> page = (List<?>) api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs")).map().get("items");
        assertEquals(20, page.size(), "default limit");
        Map<?, ?> newest = (Map<?, ?>) page.get(0);
        assertEquals("rec-ffffffff", newest.get("id"));
        assertEquals(false, newest.containsKey("finished_at"), "finished_at only once finished");
        assertEquals("2026-03-01T10:00:24.005Z", ((Map<?, ?>) page.get(1)).get("finished_at"));
        assertEquals(26, ((List<?>) api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs?limit=500")).map()
                .get("items")).size(), "limit is clamped to 100, which holds all 26");
        assertEquals(20, ((List<?>) api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs?limit=-1")).map()
                .get("items")).size());

        Reply detail = api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs/rec-ffffffff"));
        assertEquals(Map.of("id", 1, "run_id", "rec-ffffffff", "sandbox_id", "abcd0001", "drift_type", "missing_in_k8s",
                        "action", "none", "detail", "pod missing for 3s", "created_at", "2026-03-01T10:01:40Z"),
                ((List<?>) detail.map().get("items")).get(0));
    }

    @Test
    void unknownRunsAndTriggersWithoutAClusterAreRefused() {
        Reply unknown = api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs/rec-nothere"));
        assertEquals(HttpStatus.NOT_FOUND, unknown.status());
        assertEquals(Map.of("error", "reconcile run not found"), unknown.body());
        Reply trigger = api.send(HttpRequest.POST("/api/v1/sandboxes/reconcile", Map.of()));
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, trigger.status());
        assertEquals(Map.of("error", "kubernetes is not configured"), trigger.body());
    }
}
