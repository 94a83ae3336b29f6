package io.liteboxd.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.testing.Await;
import io.liteboxd.gateway.proxy.GatewayProxyClusterTest;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * "Drain, don't kick", end to end: a real gateway process with an open WebSocket tunnel to a
 * real sandbox pod gets SIGTERM. Readiness turns 503 at once and new requests are refused, the
 * tunnel keeps carrying messages, and the process exits (status 0) as soon as the tunnel closes.
 */
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class GatewayDrainClusterTest {

    @Test
    void anOpenTunnelOutlivesSigtermAndTheProcessExitsWhenItCloses() throws Exception {
        TestSandboxes sandboxes = new TestSandboxes();
        sandboxes.getProperties(); // creates the namespace
        Process gateway = null;
        try {
            sandboxes.start("d4a10001", "drain-token");
            int port;
            try (ServerSocket free = new ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path output = Files.createTempFile("gateway", ".out");
            gateway = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Dmicronaut.server.port=" + port,
                    "-Dlogback.configurationFile=logback.xml",
                    "-Dliteboxd.drain.timeout=60s",
                    "-Dliteboxd.gateway.namespace=" + sandboxes.namespace,
                    GatewayApplication.class.getName()))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://localhost:" + port;
            awaitStatus(http, base + "/api/v1/sandbox/d4a10001/port/8080/hello", 200, "drain-token");

            BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket tunnel = http.newWebSocketBuilder().header("X-Access-Token", "drain-token")
                    .buildAsync(URI.create("ws://localhost:" + port + "/api/v1/sandbox/d4a10001/port/8765/echo"),
                            GatewayProxyClusterTest.collector(messages, closed)).join();
            tunnel.sendText("before", true).join();
            assertEquals("before", messages.poll(10, TimeUnit.SECONDS));

            gateway.destroy(); // SIGTERM
            var readyz = awaitStatus(http, base + "/readyz", 503, null);
            assertEquals("{\"status\":\"draining\",\"service\":\"gateway\"}", readyz);
            assertEquals("{\"error\":\"service is draining\"}",
                    awaitStatus(http, base + "/api/v1/sandbox/d4a10001/port/8080/hello", 503, "drain-token"));

            tunnel.sendText("during", true).join();
            assertEquals("during", messages.poll(10, TimeUnit.SECONDS), "the open tunnel keeps working");
            assertTrue(gateway.isAlive(), "the drain waits for the tunnel");

            tunnel.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
            assertTrue(gateway.waitFor(15, TimeUnit.SECONDS), "the gateway exits once its last tunnel closed:\n"
                    + Files.readString(output));
            assertEquals(0, gateway.exitValue(), Files.readString(output));
            assertTrue(Files.readString(output).contains("drain finished"), Files.readString(output));
        } finally {
            if (gateway != null && gateway.isAlive()) {
                gateway.destroyForcibly();
            }
            sandboxes.removeNamespace();
        }
    }

    /** Polls until the URL answers {@code status} (the gateway is starting, or the drain just began). */
    private static String awaitStatus(HttpClient http, String url, int status, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("X-Access-Token", token);
        }
        record Answer(int status, String body) {}
        return Await.until(Duration.ofSeconds(60), url + " answers " + status, () -> {
            try {
                var response = http.send(request.build(), BodyHandlers.ofString());
                return new Answer(response.statusCode(), response.body());
            } catch (java.io.IOException notListeningYet) {
                return new Answer(-1, notListeningYet.toString());
            }
        }, answer -> answer.status() == status).body();
    }
}
