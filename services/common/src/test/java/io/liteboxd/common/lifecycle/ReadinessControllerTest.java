package io.liteboxd.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@MicronautTest
@Property(name = "liteboxd.readiness.service-name", value = "gateway")
@Property(name = "liteboxd.version", value = "1.2.3-test")
class ReadinessControllerTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    Readiness readiness;

    @Test
    void readyWhileServingThenUnavailableOnceDrainBegins() {
        Map<?, ?> ok = client.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class);
        assertEquals(Map.of("status", "ok", "service", "gateway", "version", "1.2.3-test"), ok);

        readiness.beginDrain();
        var draining = assertThrows(HttpClientResponseException.class,
                () -> client.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class));
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, draining.getStatus());
        assertEquals(Map.of("status", "draining", "service", "gateway", "version", "1.2.3-test"),
                draining.getResponse().getBody(Map.class).orElseThrow());
    }

    @Test
    void healthAnswersWithoutAuthentication() {
        assertEquals(Map.of("status", "ok", "service", "gateway"),
                client.toBlocking().retrieve(HttpRequest.GET("/health"), Map.class));
    }
}
