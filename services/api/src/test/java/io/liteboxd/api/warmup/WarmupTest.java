package io.liteboxd.api.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The warm-up on a real server and SQLite file: Ready waits for it, its credential reads while it
 * runs (GET only) and nothing once it is over. More rounds than it can send before its timeout, so
 * it is still running when the test starts and ends at the timeout.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WarmupTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    Warmup warmup;

    @Inject
    WarmupCredential credential;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("liteboxd.warmup.rounds", "1000000", "liteboxd.warmup.timeout", "8s");
    }

    @Test
    void readyOnlyAfterTheWarmupAndItsCredentialGoesWithIt() throws Exception {
        assertNotNull(warmup.waitingFor(), "still warming up");
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, status(HttpRequest.GET("/readyz")));
        assertEquals(HttpStatus.OK, status(HttpRequest.GET("/api/v1/templates")
                .header(WarmupCredential.HEADER, credential.value())), "the warm-up's GET");
        assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.POST("/api/v1/templates", Map.of("name", "x"))
                .header(WarmupCredential.HEADER, credential.value())), "a write with the warm-up's credential");
        assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET("/api/v1/templates")
                .header(WarmupCredential.HEADER, "0".repeat(64))), "another value");

        Await.until(Duration.ofSeconds(30), "/readyz 200", () -> status(HttpRequest.GET("/readyz")) == HttpStatus.OK);
        assertNull(warmup.waitingFor());
        assertEquals(HttpStatus.UNAUTHORIZED, status(HttpRequest.GET("/api/v1/templates")
                .header(WarmupCredential.HEADER, credential.value())), "the credential after the warm-up");
    }

    private HttpStatus status(MutableHttpRequest<?> request) {
        try {
            return client.toBlocking().exchange(request).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }
}
