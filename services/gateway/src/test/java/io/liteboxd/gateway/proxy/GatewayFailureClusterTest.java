package io.liteboxd.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.common.testing.Await;
import io.liteboxd.gateway.TestSandboxes;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Pods that fail mid-request: a pod slower than the configured read timeout gets the client a
 * JSON 504, and a pod whose WebSocket connection drops without a close frame gets the client a
 * 1011 close (upstream's {@code upstream_read_failed}).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class GatewayFailureClusterTest implements TestPropertyProvider {

    static final String ID = "fa11ed01";
    static final String TOKEN = "failure-" + System.nanoTime();

    final TestSandboxes sandboxes = new TestSandboxes();
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(sandboxes.getProperties());
        properties.put("micronaut.http.services.sandbox.read-timeout", "2s");
        properties.put("micronaut.http.services.sandbox.read-idle-timeout", "2s");
        return properties;
    }

    @BeforeAll
    void startSandbox() throws Exception {
        sandboxes.start(ID, TOKEN);
        Await.until(Duration.ofSeconds(30), "the gateway admits the sandbox", () -> get("/hello").statusCode() == 200);
    }

    @AfterAll
    void cleanUp() throws Exception {
        sandboxes.removeNamespace();
    }

    @Test
    void aPodSlowerThanTheReadTimeoutIsAJson504() throws Exception {
        var response = get("/delay?seconds=6");
        assertEquals(504, response.statusCode(), response.body());
        assertEquals(Map.of("error", "the sandbox did not answer in time"), json.readValue(response.body(), Map.class));
    }

    @Test
    void aPodConnectionThatDropsClosesTheClientWith1011() throws Exception {
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().header("X-Access-Token", TOKEN)
                .buildAsync(URI.create("ws://localhost:" + server.getPort() + "/api/v1/sandbox/" + ID + "/port/8765/echo"),
                        GatewayProxyClusterTest.collector(new LinkedBlockingQueue<>(), closed)).join();
        socket.sendText("abort", true).join();
        assertEquals(1011, closed.get(15, TimeUnit.SECONDS));
    }

    private java.net.http.HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + "/api/v1/sandbox/"
                + ID + "/port/8080" + path)).header("X-Access-Token", TOKEN).build(), BodyHandlers.ofString());
    }
}
