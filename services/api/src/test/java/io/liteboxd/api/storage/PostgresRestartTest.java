package io.liteboxd.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.common.testing.Await;
import io.liteboxd.api.PostgresTestDatabase;
import io.liteboxd.api.TestPostgres;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Postgres restarts under a running API (an upgrade, a failover): every pooled connection breaks.
 * The pool checks connections before handing them out and retires broken ones
 * (application-postgres.yml), so requests succeed again by themselves, on new connections, and
 * everything committed before is still there.
 */
@MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRestartTest implements PostgresTestDatabase {

    @Inject
    @Client("/")
    HttpClient http;

    ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "restart-tests");
    }

    @BeforeAll
    void login() {
        api = new ApiClient(http, "admin", "restart-tests");
    }

    Reply createTemplate(String name) {
        return api.send(HttpRequest.POST("/api/v1/templates",
                Map.of("name", name, "spec", Map.of("image", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1"))));
    }

    @Test
    void requestsSucceedAgainAfterARestartAndNoCommittedWriteIsLost() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(HttpStatus.CREATED, createTemplate("before-" + i).status());
        }

        TestPostgres.restart();

        // A request may still get a connection used within the last half second (the pool skips
        // the check then) and fail; each such failure retires one dead connection, so there are at
        // most maximum-pool-size of them before every connection is new.
        AtomicInteger failed = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Await.until(Duration.ofSeconds(30), "the API reads from Postgres again", () -> {
            var reply = api.send(HttpRequest.GET("/api/v1/templates/before-4"));
            if (reply.status() == HttpStatus.OK) {
                return true;
            }
            failed.incrementAndGet();
            failures.add(reply.status().getCode() + " " + reply.body());
            return false;
        });
        assertTrue(failed.get() <= 10, failed + " requests failed after the restart");
        // Failures of an unreachable database are the retryable kind (docs/upgrade.md, Client retries).
        for (String failure : failures) {
            assertTrue(failure.startsWith("503 ") && failure.contains("UNAVAILABLE"), failure);
        }
        assertEquals(HttpStatus.CREATED, createTemplate("after").status());
        Map<?, ?> page = api.send(HttpRequest.GET("/api/v1/templates?pageSize=100")).map();
        List<?> names = ((List<?>) page.get("items")).stream().map(t -> ((Map<?, ?>) t).get("name")).sorted().toList();
        assertEquals(List.of("after", "before-0", "before-1", "before-2", "before-3", "before-4"), names);
        // Requests side by side take several pooled connections: each of them was replaced.
        List<Future<HttpStatus>> statuses = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 30; i++) {
                String name = "before-" + (i % 5);
                statuses.add(threads.submit(() -> api.send(HttpRequest.GET("/api/v1/templates/" + name)).status()));
            }
        }
        for (Future<HttpStatus> status : statuses) {
            assertEquals(HttpStatus.OK, status.get());
        }
    }
}
