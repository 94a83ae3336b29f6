package io.liteboxd.gateway.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.testing.Await;
import io.liteboxd.gateway.RawHttp;
import io.liteboxd.gateway.TestSandboxes;
import io.liteboxd.gateway.proxy.GatewayProxyClusterTest;
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
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Tunnels hold a bounded number of bytes (a client that does not read stops the gateway reading
 * the pod, and the pod blocks), and no more than max-tunnels are open.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class GatewayTunnelLimitsClusterTest implements TestPropertyProvider {

    static final String ID = "15010002";
    static final String TOKEN = "limits-" + System.nanoTime();
    static final long BUFFER = 256 << 10;
    /** The pod's messages: one may land on top of a full buffer. */
    static final long MESSAGE = 64 << 10;

    final TestSandboxes sandboxes = new TestSandboxes();
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    @Inject
    TunnelEndpoint endpoint;

    @Inject
    TunnelLimits limits;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(sandboxes.getProperties());
        properties.put("liteboxd.gateway.tunnel-buffer-bytes", Long.toString(BUFFER));
        properties.put("liteboxd.gateway.max-tunnels", "2");
        return properties;
    }

    @BeforeAll
    void startSandbox() throws Exception {
        sandboxes.start(ID, TOKEN);
        Await.until(Duration.ofSeconds(30), "the gateway admits the running sandbox", () -> http.send(
                HttpRequest.newBuilder(uri("http", 8080, "/hello")).header("X-Access-Token", TOKEN).build(),
                BodyHandlers.discarding()).statusCode() == 200);
    }

    @BeforeEach
    void noTunnelLeftOver() throws Exception {
        Await.until(Duration.ofSeconds(15), "earlier tunnels are closed", () -> limits.open() == 0);
    }

    @AfterAll
    void cleanUp() throws Exception {
        sandboxes.removeNamespace();
    }

    @Test
    void aClientThatDoesNotReadStopsTheGatewayReadingThePod() throws Exception {
        String flood = "f" + System.nanoTime();
        long[] received = {0};
        WebSocket socket = http.newWebSocketBuilder().header("X-Access-Token", TOKEN)
                .buildAsync(uri("ws", 8765, "/flood?id=" + flood), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        // no request(): this client reads nothing
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        received[0] += data.remaining();
                        webSocket.request(1);
                        return null;
                    }
                }).join();
        Await.until(Duration.ofSeconds(30), "the gateway stops reading the pod", () -> tunnel().map(t -> !t.readingPod())
                .orElse(false));
        Tunnel tunnel = tunnel().orElseThrow();
        assertTrue(tunnel.bufferedBytes() <= BUFFER + MESSAGE, "held " + tunnel.bufferedBytes());
        assertTrue(limits.bufferedBytes() <= BUFFER + MESSAGE, "held in all " + limits.bufferedBytes());
        assertTrue(metrics().contains("liteboxd_gateway_tunnels_buffered_bytes"));

        long[] last = {-1};
        Await.until(Duration.ofSeconds(30), "the pod is blocked in its send", () -> {
            long now = floodSent(flood);
            boolean still = now == last[0];
            last[0] = now;
            Thread.sleep(500); // sampling interval: the pod's count must hold still across it
            return still;
        });
        long blockedAt = last[0];
        assertTrue(blockedAt < 64L << 20, "the pod got only as far as the socket buffers let it: " + blockedAt);
        assertTrue(tunnel.bufferedBytes() <= BUFFER + MESSAGE);

        socket.request(Long.MAX_VALUE);
        try {
            Await.until(Duration.ofSeconds(30), "reading resumes once the client reads",
                    () -> floodSent(flood) > blockedAt + (16L << 20));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": reading " + tunnel.readingPod() + ", held " + tunnel.bufferedBytes()
                    + ", over " + tunnel.isOver() + ", pod " + http.send(HttpRequest.newBuilder(uri("http", 8080, "/flood-sent?id=" + flood))
                    .header("X-Access-Token", TOKEN).build(), BodyHandlers.ofString()).body() + " of " + blockedAt + " when blocked; received " + received[0], e);
        }
        socket.abort();
    }

    @Test
    void aPodThatDoesNotReadStopsTheGatewayReadingTheClient() throws Exception {
        String stall = "s" + System.nanoTime();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().header("X-Access-Token", TOKEN)
                .buildAsync(uri("ws", 8765, "/stall?id=" + stall),
                        GatewayProxyClusterTest.collector(new LinkedBlockingQueue<>(), closed)).join();
        ByteBuffer message = ByteBuffer.allocate((int) MESSAGE);
        long[] sent = {0};
        CompletableFuture<Void> sending = new CompletableFuture<>();
        Runnable[] next = new Runnable[1];
        next[0] = () -> socket.sendBinary(message.duplicate(), true).whenComplete((v, e) -> {
            if (e != null) {
                sending.completeExceptionally(e);
            } else if (sent[0] < 1L << 30) {
                sent[0] += MESSAGE;
                next[0].run();
            }
        });
        next[0].run();
        Await.until(Duration.ofSeconds(30), "the gateway stops reading the client", () -> tunnel()
                .map(t -> !t.readingClient()).orElse(false));
        Tunnel tunnel = tunnel().orElseThrow();
        assertTrue(tunnel.bufferedBytes() <= BUFFER + MESSAGE, "held " + tunnel.bufferedBytes());
        assertTrue(sent[0] < 64L << 20, "the client got only as far as the socket buffers let it: " + sent[0]);
        assertTrue(!sending.isDone(), "no send failed");

        // Not reading the client also means not noticing it leave: the pod's close ends the tunnel.
        assertEquals(200, http.send(HttpRequest.newBuilder(uri("http", 8080, "/release?id=" + stall))
                .header("X-Access-Token", TOKEN).build(), BodyHandlers.discarding()).statusCode());
        // The gateway forwards the pod's close frame and closes the connection. Two races decide
        // what the client sees, and each outcome tells it the tunnel ended:
        // - the pod's close also fails the gateway's pending write to the pod, and when that
        //   failure is handled first the client gets 1011 (upstream_write_failed) instead of 4010;
        // - the client's data the gateway never read is still in its receive buffer, so its
        //   kernel answers the close with a reset, which may overtake the frame: a connection error.
        Integer code;
        try {
            code = closed.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException reset) {
            code = null;
        }
        assertTrue(code == null || code == 4010 || code == 1011,
                "the pod's close code, the write failure it caused, or the reset reaches the client: " + code);
        Await.until(Duration.ofSeconds(10), "the tunnel ends", tunnel::isOver);
        socket.abort();
    }

    @Test
    void beyondMaxTunnelsAnUpgradeIs503() throws Exception {
        List<WebSocket> open = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            open.add(echo().join());
        }
        CompletionException refused = assertThrows(CompletionException.class, () -> echo().join());
        assertEquals(503, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
        RawHttp.Response response = RawHttp.exchange(server.getPort(), "GET /api/v1/sandbox/" + ID
                + "/port/8765/echo HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Access-Token: " + TOKEN
                + "\r\n\r\n");
        assertEquals(503, response.status(), response.head());
        assertEquals(Map.of("error", "too many open tunnels"), json.readValue(response.body(), Map.class));

        open.removeFirst().sendClose(1000, "").join();
        Await.until(Duration.ofSeconds(15), "a closed tunnel gives its place back", () -> limits.open() < 2);
        open.add(echo().join());
        open.forEach(WebSocket::abort);
    }

    private CompletableFuture<WebSocket> echo() {
        return http.newWebSocketBuilder().header("X-Access-Token", TOKEN).buildAsync(uri("ws", 8765, "/echo"),
                GatewayProxyClusterTest.collector(new LinkedBlockingQueue<>(), new CompletableFuture<>()));
    }

    private java.util.Optional<Tunnel> tunnel() {
        return StreamSupport.stream(endpoint.tunnels().spliterator(), false).filter(t -> !t.isOver()).findFirst();
    }

    private long floodSent(String flood) throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("http", 8080, "/flood-sent?id=" + flood))
                .header("X-Access-Token", TOKEN).build(), BodyHandlers.ofString());
        return ((Number) json.readValue(response.body(), Map.class).get("bytes")).longValue();
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort() + "/management/prometheus"))
                .build(), BodyHandlers.ofString()).body();
    }

    private URI uri(String scheme, int port, String path) {
        return URI.create(scheme + "://localhost:" + server.getPort() + "/api/v1/sandbox/" + ID + "/port/" + port + path);
    }
}
