package io.liteboxd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The service boots with its own configuration and answers its probes. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiApplicationTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient client;

    @Test
    void answersReadinessWithItsUpstreamBody() {
        assertEquals(Map.of("status", "ok"), client.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class));
    }

    @Test
    void answersHealthWithItsUpstreamBody() {
        assertEquals(Map.of("status", "ok"), client.toBlocking().retrieve(HttpRequest.GET("/health"), Map.class));
    }

    @Test
    void servesManagementHealthAndPrometheusUnderManagement() {
        assertEquals("UP", client.toBlocking().retrieve(HttpRequest.GET("/management/health"), Map.class).get("status"));
        String metrics = client.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class);
        assertTrue(metrics.contains("liteboxd_draining"), metrics);
    }

    /** The latency histograms exist from startup, before any create, with the shared buckets (docs/metrics.md). */
    @Test
    void servesTheSandboxLatencyHistogramsBeforeAnyRequest() {
        String metrics = client.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class);
        for (String series : new String[] {
                "liteboxd_sandbox_create_seconds_bucket{path=\"pool\",le=\"0.1\"} 0",
                "liteboxd_sandbox_create_seconds_bucket{path=\"cold\",le=\"0.3\"} 0",
                "liteboxd_sandbox_create_seconds_count{path=\"cold\"} 0",
                "liteboxd_sandbox_time_to_running_seconds_bucket{le=\"60.0\"} 0",
                "liteboxd_exec_seconds_bucket{le=\"0.005\"} 0",
                "liteboxd_terminal_attach_seconds_bucket{le=\"+Inf\"} 0"}) {
            assertTrue(metrics.contains(series), () -> "no '" + series + "' in:\n" + metrics);
        }
    }
}
