package io.liteboxd.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A started service stays "starting" while a gate is closed, and once ready it stays ready. */
@MicronautTest
@Property(name = "readiness-gate-test", value = "true")
class ReadinessGateTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    TestGate gate;

    @Test
    void startingUntilTheGateOpensThenReadyForGood() {
        var starting = assertThrows(HttpClientResponseException.class,
                () -> client.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class));
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, starting.getStatus());
        assertEquals("starting", starting.getResponse().getBody(Map.class).orElseThrow().get("status"));

        gate.waiting = null;
        assertEquals("ok", client.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class).get("status"));

        gate.waiting = "the pool lost its connections";
        assertEquals("ok", client.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class).get("status"));
    }

    @Singleton
    @Requires(property = "readiness-gate-test")
    static class TestGate implements ReadinessGate {
        volatile String waiting = "a warm pool";

        @Override
        public String waitingFor() {
            return waiting;
        }
    }
}
