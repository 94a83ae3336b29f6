package io.liteboxd.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.testing.Await;
import io.liteboxd.common.testing.Scrape;
import io.liteboxd.gateway.TestSandboxes;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The gateway against real sandbox pods on the test-bed cluster: auth from the pod cache,
 * streaming both ways, WebSocket tunnels with subprotocols and close codes, CORS, errors.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
public class GatewayProxyClusterTest implements TestPropertyProvider {

    static final String ID = "9a7e0001";
    static final String TOKEN = "t0ken-" + System.nanoTime();

    final TestSandboxes sandboxes = new TestSandboxes();
    final HttpClient http = HttpClient.newHttpClient();

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    @Override
    public Map<String, String> getProperties() {
        return sandboxes.getProperties();
    }

    @BeforeAll
    void startSandbox() throws Exception {
        sandboxes.start(ID, TOKEN);
        // The gateway learns about the pod from its informer; wait until it lets us through.
        Await.until(Duration.ofSeconds(30), "the gateway admits the running sandbox",
                () -> get(ID, 8080, "/hello", TOKEN).statusCode() == 200);
    }

    @AfterAll
    void cleanUp() throws Exception {
        sandboxes.removeNamespace();
    }

    @Test
    void theTokenOpensTheSandboxAndNothingElseDoes() throws Exception {
        assertEquals(Map.of("hello", 8080), body(get(ID, 8080, "/hello", TOKEN)));
        assertEquals(Map.of("hello", 80), body(get(ID, 80, "/hello", TOKEN)), "a server on port 80 is reachable");
        assertError(get(ID, 8080, "/hello", null), 401, "missing access token");
        assertError(get(ID, 8080, "/hello", "wrong"), 401, "invalid access token");
        assertError(get("00000000", 8080, "/hello", TOKEN), 404, "sandbox not found");
        for (String port : List.of("0", "65536", "abc", "-1")) {
            assertError(send(HttpRequest.newBuilder(uri(ID, port, "/hello")).header("X-Access-Token", TOKEN)), 400,
                    "invalid port number");
        }
        assertError(get(ID, 9999, "/hello", TOKEN), 502, "cannot connect to the sandbox on that port");
    }

    @Test
    void everyMethodReachesThePod() throws Exception {
        for (String method : List.of("PUT", "PATCH")) {
            Map<?, ?> received = body(send(HttpRequest.newBuilder(uri(ID, "8080", "/upload")).header("X-Access-Token", TOKEN)
                    .method(method, BodyPublishers.ofString("12345"))));
            assertEquals(5, ((Number) received.get("bytes")).intValue(), method);
        }
        assertEquals(Map.of("method", "DELETE"), body(send(HttpRequest.newBuilder(uri(ID, "8080", "/x"))
                .header("X-Access-Token", TOKEN).DELETE())));
        assertEquals(Map.of("method", "OPTIONS"), body(send(HttpRequest.newBuilder(uri(ID, "8080", "/x"))
                .header("X-Access-Token", TOKEN).method("OPTIONS", BodyPublishers.noBody()))),
                "an OPTIONS that is not a CORS preflight is the pod's to answer");
        HttpResponse<String> head = send(HttpRequest.newBuilder(uri(ID, "8080", "/x")).header("X-Access-Token", TOKEN)
                .method("HEAD", BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("42", head.headers().firstValue("content-length").orElseThrow());
        assertEquals("", head.body());
    }

    @Test
    void aTerminatingSandboxIsNotFound() throws Exception {
        String id = "9a7e0002";
        String hold = "liteboxd.io/test-hold";
        sandboxes.start(id, TOKEN, List.of(hold));
        awaitStatus(id, 200);
        sandboxes.core.deleteNamespacedPod("sandbox-" + id, sandboxes.namespace).execute();
        awaitStatus(id, 404);
        assertError(get(id, 8080, "/hello", TOKEN), 404, "sandbox not found");
        // Let the pod go: drop the finalizer that held it.
        io.kubernetes.client.util.PatchUtils.patch(io.kubernetes.client.openapi.models.V1Pod.class,
                () -> sandboxes.core.patchNamespacedPod("sandbox-" + id, sandboxes.namespace,
                        new io.kubernetes.client.custom.V1Patch("[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]"))
                        .buildCall(null),
                io.kubernetes.client.custom.V1Patch.PATCH_FORMAT_JSON_PATCH, sandboxes.core.getApiClient());
    }

    @Test
    void metricsCountRequestsByStatusClass() throws Exception {
        String before = scrape();
        get(ID, 8080, "/hello", TOKEN);
        get(ID, 8080, "/hello", "wrong");
        String metrics = scrape();
        assertTrue(metrics.contains("liteboxd_gateway_requests_seconds_count{status=\"2xx\"}"), metrics);
        assertTrue(metrics.contains("liteboxd_gateway_requests_seconds_count{status=\"4xx\"}"), metrics);
        assertTrue(metrics.contains("liteboxd_gateway_tunnels_active"), metrics);
        // docs/metrics.md: the admitted request is timed end to end and upstream; the refused one is not.
        for (String series : List.of("liteboxd_gateway_request_seconds_count{kind=\"http\"}",
                "liteboxd_gateway_upstream_seconds_count{kind=\"http\"}")) {
            assertEquals(Scrape.value(before, series) + 1, Scrape.value(metrics, series), series + ":\n" + metrics);
        }
    }

    @Test
    void aWebSocketUpgradeIsTimedUpToItsHandshake() throws Exception {
        String before = scrape();
        WebSocket socket = http.newWebSocketBuilder().header("X-Access-Token", TOKEN)
                .buildAsync(URI.create("ws://localhost:" + server.getPort() + "/api/v1/sandbox/" + ID + "/port/8765/echo"),
                        collector(new LinkedBlockingQueue<>(), new CompletableFuture<>())).join();
        String after = scrape();
        socket.sendClose(1000, "done").join();
        for (String series : List.of("liteboxd_gateway_request_seconds_count{kind=\"websocket\"}",
                "liteboxd_gateway_upstream_seconds_count{kind=\"websocket\"}")) {
            assertEquals(Scrape.value(before, series) + 1, Scrape.value(after, series), series + ":\n" + after);
        }
    }

    String scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort()
                + "/management/prometheus")).build(), BodyHandlers.ofString()).body();
    }

    /** The gateway sees pods through its informer, a moment after the API server does. */
    private void awaitStatus(String id, int status) throws Exception {
        Await.until(Duration.ofSeconds(30), id + " answers " + status,
                () -> get(id, 8080, "/hello", TOKEN).statusCode() == status);
    }

    @Test
    void theSandboxSeesACleanForwardedRequest() throws Exception {
        Map<?, ?> seen = body(send(HttpRequest.newBuilder(uri(ID, "8080", "/headers?a=1&access_token=" + TOKEN + "&b=%2F"))
                .header("X-Access-Token", TOKEN).header("Authorization", "Bearer app-level")));
        assertEquals("/headers?a=1&b=%2F", seen.get("path"), "the query keeps its encoding, minus the token");
        Map<?, ?> headers = (Map<?, ?>) seen.get("headers");
        assertFalse(headers.containsKey("x-access-token"), "the token never reaches the sandbox");
        assertEquals("Bearer app-level", headers.get("authorization"), "the app's own credentials pass");
        assertEquals("127.0.0.1", headers.get("x-forwarded-for"));
        assertEquals("http", headers.get("x-forwarded-proto"));
        assertEquals("localhost:" + server.getPort(), headers.get("x-forwarded-host"));

        Map<?, ?> byQuery = body(send(HttpRequest.newBuilder(uri(ID, "8080", "/headers?access_token=" + TOKEN))));
        assertEquals("/headers", byQuery.get("path"), "a browser may pass the token in the URL");

        HttpResponse<String> bare = send(HttpRequest.newBuilder(URI.create(
                "http://localhost:" + server.getPort() + "/api/v1/sandbox/" + ID + "/port/8080?x=1")));
        assertEquals(301, bare.statusCode());
        assertEquals("/api/v1/sandbox/" + ID + "/port/8080/?x=1", bare.headers().firstValue("location").orElseThrow());
    }

    @Test
    void aLargeResponseStreamsThroughWhole() throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri(ID, "8080", "/big?mib=200"))
                .header("X-Access-Token", TOKEN).build(), BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        long size;
        try (InputStream in = response.body()) {
            size = in.transferTo(OutputStream.nullOutputStream());
        }
        assertEquals(200L << 20, size);
    }

    @Test
    void aSlowResponseIsNotCutOff() throws Exception {
        HttpResponse<String> slow = get(ID, 8080, "/slow?seconds=60", TOKEN);
        assertEquals(200, slow.statusCode());
        assertEquals(".".repeat(60), slow.body(), "upstream's gateway cut responses at 10 s");
    }

    @Test
    void aChunkedUploadArrivesWhole() throws Exception {
        byte[] block = new byte[1 << 20];
        new java.util.Random(7).nextBytes(block);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 50; i++) {
            sent.update(block);
        }
        InputStream body = new InputStream() {
            int left = 50 * block.length;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = Math.min(len, Math.min(left, block.length - (50 * block.length - left) % block.length));
                System.arraycopy(block, (50 * block.length - left) % block.length, b, off, n);
                left -= n;
                return n;
            }
        };
        Map<?, ?> received = body(send(HttpRequest.newBuilder(uri(ID, "8080", "/upload")).header("X-Access-Token", TOKEN)
                .POST(BodyPublishers.ofInputStream(() -> body))));
        assertEquals(50 << 20, ((Number) received.get("bytes")).intValue());
        assertEquals(HexFormat.of().formatHex(sent.digest()), received.get("sha256"));
    }

    @Test
    void ambiguousFramingIsRefused() throws Exception {
        try (Socket socket = new Socket("localhost", server.getPort())) {
            String request = "POST /api/v1/sandbox/" + ID + "/port/8080/upload HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Access-Token: " + TOKEN + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "0\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 400", status);
        }
    }

    @Test
    void corsPreflightsAreAnsweredWithoutAToken() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri(ID, "8080", "/hello"))
                .method("OPTIONS", BodyPublishers.noBody()).header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "x-access-token, content-type"));
        assertEquals(204, preflight.statusCode());
        assertEquals("*", preflight.headers().firstValue("access-control-allow-origin").orElseThrow());
        assertEquals("x-access-token, content-type", preflight.headers().firstValue("access-control-allow-headers").orElseThrow());
        assertTrue(preflight.headers().firstValue("access-control-allow-methods").orElseThrow().contains("PATCH"));
        assertNull(preflight.headers().firstValue("access-control-allow-credentials").orElse(null));
        HttpResponse<String> actual = send(HttpRequest.newBuilder(uri(ID, "8080", "/hello"))
                .header("Origin", "https://app.example").header("X-Access-Token", TOKEN));
        assertEquals("*", actual.headers().firstValue("access-control-allow-origin").orElseThrow());
    }

    @Test
    void webSocketsTunnelWithSubprotocolAndCloseCode() throws Exception {
        BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().header("X-Access-Token", TOKEN).subprotocols("chat.v1", "chat.v2")
                .buildAsync(URI.create("ws://localhost:" + server.getPort() + "/api/v1/sandbox/" + ID + "/port/8765/echo"),
                        collector(messages, closed)).join();
        assertEquals("chat.v2", socket.getSubprotocol(), "the pod's choice is echoed, not the client's first");
        socket.sendText("hello through the gateway", true).join();
        assertEquals("hello through the gateway", messages.poll(10, TimeUnit.SECONDS));
        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xff}), true).join();
        assertEquals(List.of(1, 2, 3, 255), messages.poll(10, TimeUnit.SECONDS));
        socket.sendText("close:4001", true).join();
        assertEquals(4001, closed.get(10, TimeUnit.SECONDS), "the pod's close code reaches the client");

        var refused = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + server.getPort() + "/api/v1/sandbox/" + ID + "/port/8765/echo"),
                        collector(new LinkedBlockingQueue<>(), new CompletableFuture<>()));
        var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CompletionException.class,
                refused::join);
        assertEquals(401, ((java.net.http.WebSocketHandshakeException) failure.getCause()).getResponse().statusCode());
    }

    @Test
    void webSocketAtThePortsRootPathWithTheTokenInTheQuery() throws Exception {
        // ws://…/port/8765/?access_token=…: a browser's WebSocket to a server at "/" (no header).
        BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + server.getPort() + "/api/v1/sandbox/" + ID
                        + "/port/8765/?access_token=" + TOKEN), collector(messages, closed)).join();
        socket.sendText("hello at the root", true).join();
        assertEquals("hello at the root", messages.poll(10, TimeUnit.SECONDS));
        socket.sendClose(4002, "done").join();
        assertEquals(4002, closed.get(10, TimeUnit.SECONDS), "the gateway answers the client's close frame");
    }

    public static WebSocket.Listener collector(BlockingQueue<Object> messages, CompletableFuture<Integer> closed) {
        return new WebSocket.Listener() {
            final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    messages.add(text.toString());
                    text.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                List<Integer> bytes = new java.util.ArrayList<>();
                while (data.hasRemaining()) {
                    bytes.add(data.get() & 0xff);
                }
                messages.add(bytes);
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error); // the connection failed: no close code will come
            }
        };
    }

    private URI uri(String id, String port, String path) {
        return URI.create("http://localhost:" + server.getPort() + "/api/v1/sandbox/" + id + "/port/" + port + path);
    }

    private HttpResponse<String> get(String id, int port, String path, String token) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(id, Integer.toString(port), path));
        if (token != null) {
            builder.header("X-Access-Token", token);
        }
        return send(builder);
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
        return http.send(builder.build(), BodyHandlers.ofString());
    }

    private Map<?, ?> body(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        return json.readValue(response.body(), Map.class);
    }

    private void assertError(HttpResponse<String> response, int status, String message) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(Map.of("error", message), json.readValue(response.body(), Map.class));
    }
}
