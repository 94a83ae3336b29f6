package io.liteboxd.api.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.api.sandbox.SandboxRepository;
import io.liteboxd.api.sandbox.SandboxRows;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /sandboxes/{id}/egress without the egress proxy (no cluster needed): a missing sandbox is
 * 404, a known one 409 in upstream's error shape. test/egress proves the endpoint with proxies.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EgressAuditApiTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    SandboxRepository sandboxes;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", "egress-tests");
    }

    @Test
    void answersWhyThereIsNoAudit() {
        ApiClient api = new ApiClient(http, "admin", "egress-tests");
        Reply missing = api.send(HttpRequest.GET("/api/v1/sandboxes/0000dead/egress"));
        assertEquals(HttpStatus.NOT_FOUND, missing.status());
        assertEquals("sandbox not found", missing.map().get("error"));

        sandboxes.save(SandboxRows.Shape.of("eeee0001", "active", "running", Instant.parse("2026-12-01T00:00:00Z")).row());
        Reply off = api.send(HttpRequest.GET("/api/v1/sandboxes/eeee0001/egress"));
        assertEquals(HttpStatus.CONFLICT, off.status());
        assertEquals("the egress proxy is not enabled", off.map().get("error"));
    }

    @Test
    void needsCredentials() {
        HttpClientResponseException anonymous = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/sandboxes/eeee0001/egress")));
        assertEquals(HttpStatus.UNAUTHORIZED, anonymous.getStatus());
    }
}
