package io.liteboxd.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.lifecycle.Drain;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * While draining, the gateway's own probes keep answering, but on a sandbox's host the same paths
 * are the sandbox's: refused like any proxied request (the drain filter must not exempt them).
 */
@MicronautTest
@Property(name = "liteboxd.gateway.sandbox-domain", value = "sbx.test")
class SandboxHostDrainTest {

    @Inject
    EmbeddedServer server;

    @Inject
    Drain drain;

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(String path, String host) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + path));
        if (host != null) {
            request.header("Host", host);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probePathsOnASandboxHostAreTheSandboxsAndRefusedWhileDraining() throws Exception {
        drain.begin();
        assertEquals(200, get("/health", null).statusCode(), "the gateway's own liveness probe");
        for (String path : new String[] {"/health", "/readyz", "/management/prometheus"}) {
            HttpResponse<String> sandbox = get(path, "8080-abcd1234.sbx.test");
            assertEquals(503, sandbox.statusCode(), path);
            assertTrue(sandbox.body().contains("service is draining"), sandbox.body());
        }
    }
}
