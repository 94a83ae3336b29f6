package io.liteboxd.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.gateway.tunnel.HostTunnelSocket;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service boots with its own configuration and answers its probes. */
@MicronautTest
class GatewayApplicationTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    ApplicationContext context;

    @Test
    void withoutASandboxDomainThereIsNoHostModeRoute() {
        assertFalse(context.containsBean(HostTunnelSocket.class));
    }

    @Test
    void answersReadinessWithItsUpstreamBody() {
        assertEquals(Map.of("status", "ok", "service", "gateway"), client.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class));
    }

    @Test
    void answersHealthWithItsUpstreamBody() {
        assertEquals(Map.of("status", "ok", "service", "gateway"), client.toBlocking().retrieve(HttpRequest.GET("/health"), Map.class));
    }

    @Test
    void servesManagementHealthAndPrometheusUnderManagement() {
        assertEquals("UP", client.toBlocking().retrieve(HttpRequest.GET("/management/health"), Map.class).get("status"));
        String metrics = client.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class);
        assertTrue(metrics.contains("liteboxd_draining"), metrics);
    }

    /** The proxy histograms exist before any request, so dashboards show 0 rather than no data (docs/metrics.md). */
    @Test
    void servesTheProxyLatencyHistogramsBeforeAnyRequest() {
        String metrics = client.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class);
        for (String series : new String[] {
                "liteboxd_gateway_request_seconds_bucket{kind=\"http\",le=\"0.1\"} 0",
                "liteboxd_gateway_request_seconds_count{kind=\"websocket\"} 0",
                "liteboxd_gateway_upstream_seconds_bucket{kind=\"http\",le=\"0.3\"} 0",
                "liteboxd_gateway_upstream_seconds_bucket{kind=\"websocket\",le=\"+Inf\"} 0"}) {
            assertTrue(metrics.contains(series), () -> "no '" + series + "' in:\n" + metrics);
        }
    }
}
