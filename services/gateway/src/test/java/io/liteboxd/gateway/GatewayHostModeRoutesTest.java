package io.liteboxd.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.gateway.tunnel.HostTunnelSocket;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With host mode on, its catch-all WebSocket route ({@code /{+path}}) does not shadow the
 * gateway's own endpoints on other hosts.
 */
@MicronautTest
@Property(name = "liteboxd.gateway.sandbox-domain", value = "sbx.test")
class GatewayHostModeRoutesTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    ApplicationContext context;

    @Test
    void hostModeHasItsCatchAllWebSocketRoute() {
        assertTrue(context.containsBean(HostTunnelSocket.class));
    }

    @Test
    void probesAndManagementStillAnswer() {
        var blocking = client.toBlocking();
        assertEquals(Map.of("status", "ok", "service", "gateway"), blocking.retrieve(HttpRequest.GET("/health"), Map.class));
        assertEquals(Map.of("status", "ok", "service", "gateway"), blocking.retrieve(HttpRequest.GET("/readyz"), Map.class));
        assertEquals("UP", blocking.retrieve(HttpRequest.GET("/management/health"), Map.class).get("status"));
        assertTrue(blocking.retrieve(HttpRequest.GET("/management/prometheus"), String.class)
                .contains("liteboxd_gateway_connections_open"));
    }
}
