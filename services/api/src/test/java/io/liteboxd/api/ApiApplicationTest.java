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
}
