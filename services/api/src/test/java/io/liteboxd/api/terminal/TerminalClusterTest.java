package io.liteboxd.api.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.sandbox.ClusterTestNamespace;
import io.liteboxd.common.testing.Await;
import io.liteboxd.common.testing.Scrape;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The interactive terminal driven by a real WebSocket client against a real sandbox pod. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class TerminalClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();
    static final Duration WAIT = Duration.ofSeconds(30);
    /** What {@code stty size} prints: rows and columns on a line of their own. */
    static final Pattern SIZE_LINE = Pattern.compile("(?m)^\\d+ \\d+\\r?$");

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    CoreV1Api core;

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
    ApiClient api;
    String id;

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Map<String, String> clusterProperties() {
        // Micronaut's own guard refuses every foreign Origin sent to a localhost server (which the
        // test server is, a deployed one is not): off, so that our Origin check is what is tested.
        return Map.of("micronaut.server.cors.localhost-pass-through", "true");
    }

    /** {@code liteboxd_terminal_attach_seconds_count} (docs/metrics.md). */
    double attached() {
        return Scrape.value(http.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class),
                "liteboxd_terminal_attach_seconds_count");
    }

    @BeforeAll
    void startSandbox() throws Exception {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        id = ClusterTestNamespace.runningSandbox(api, "term", List.of("sleep", "infinity"), Map.of());
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    @Test
    void aTtySessionRunsCommandsResizesAndReportsTheExitCode() throws Exception {
        double attachedBefore = attached();
        Terminal t = open(id, "tty=true&rows=24&cols=80");
        t.input("echo $((6*7))\n");
        t.awaitOutput(s -> s.contains("42"));
        // Recorded just after the stream is attached, so a moment after the first output at most.
        Await.until(Duration.ofSeconds(5), "terminal attach on Prometheus", () -> attached() >= attachedBefore + 1);
        t.send(Map.of("type", "resize", "cols", 100, "rows", 30));
        // A resize has its own exec channel and the runtime applies it asynchronously: a command
        // typed right after may still see the old size, so ask again until the tty has the new one.
        for (int attempt = 1; !t.output().contains("30 100"); attempt++) {
            assertTrue(attempt <= 10, "the resize never reached the tty: " + t.output());
            long sizes = SIZE_LINE.matcher(t.output()).results().count();
            t.input("stty size\n");
            t.awaitOutput(s -> SIZE_LINE.matcher(s).results().count() > sizes);
        }
        t.input("exit 3\n");
        Map<?, ?> exit = t.awaitExit();
        assertEquals(Map.of("type", "exit", "exitCode", 3), exit);
        t.awaitClosed();
    }

    @Test
    void withoutATtyStdoutStderrAndStdinAllWork() throws Exception {
        Terminal t = open(id, "tty=false&" + command("sh", "-c", "echo out; echo err >&2; read x; echo got $x"));
        t.input("hi\n");
        Map<?, ?> exit = t.awaitExit();
        assertEquals(Map.of("type", "exit"), exit, "exitCode is left out for 0");
        String output = t.output();
        assertTrue(output.contains("out\n") && output.contains("err\n") && output.contains("got hi\n"), output);
    }

    @Test
    void aClientThatClosesGetsTheCloseHandshakeBack() throws Exception {
        Terminal t = open(id, "tty=false");
        t.input("echo ready\n");
        t.awaitOutput(s -> s.contains("ready"));
        t.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        // Without our answer Micronaut drops the connection and the client sees 1006 (onError).
        assertEquals(1000, t.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void multiByteTextSplitAcrossChunksArrivesIntact() throws Exception {
        String script = "import sys\nb='✓é你'.encode()*2000\nfor i in range(0,len(b),7):\n"
                + " sys.stdout.buffer.write(b[i:i+7]); sys.stdout.flush()\n";
        Terminal t = open(id, "tty=false&" + command("python3", "-c", script));
        t.awaitExit();
        assertEquals("✓é你".repeat(2000), t.output());
    }

    @Test
    void failuresAreReportedAsErrorFrames() throws Exception {
        Terminal unknown = open("00000000", "");
        Map<?, ?> error = unknown.next();
        assertEquals(Map.of("type", "error", "message", "sandbox not found"), error);
        unknown.awaitClosed();

        var noToken = jdk.newWebSocketBuilder().buildAsync(uri(id, ""), new Terminal(json, WAIT));
        CompletionException refused = assertThrows(CompletionException.class, noToken::join);
        assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException
                && ((java.net.http.WebSocketHandshakeException) refused.getCause()).getResponse().statusCode() == 401,
                String.valueOf(refused.getCause()));
    }

    @Test
    void aSessionCookieFromAnotherOriginCannotOpenATerminal() throws Exception {
        String own = "http://localhost:" + server.getPort();
        for (String origin : List.of("http://evil.example", "null", "https://3000-" + id + ".sbx.example.com")) {
            var hijack = jdk.newWebSocketBuilder().header("Cookie", api.sessionCookie()).header("Origin", origin)
                    .buildAsync(uri(id, ""), new Terminal(json, WAIT));
            CompletionException refused = assertThrows(CompletionException.class, hijack::join, origin);
            assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException handshake
                    && handshake.getResponse().statusCode() == 403, origin + ": " + refused.getCause());
        }
        var sibling = jdk.newWebSocketBuilder().header("Cookie", api.sessionCookie())
                .header("Sec-Fetch-Site", "same-site").header("Sec-Fetch-Mode", "websocket")
                .buildAsync(uri(id, ""), new Terminal(json, WAIT));
        assertThrows(CompletionException.class, sibling::join, "fetch metadata alone refuses it too");

        Terminal mine = new Terminal(json, WAIT);
        mine.socket = jdk.newWebSocketBuilder().header("Cookie", api.sessionCookie()).header("Origin", own)
                .buildAsync(uri(id, "tty=false&" + command("echo", "same-origin")), mine).join();
        mine.awaitExit();
        assertEquals("same-origin\n", mine.output(), "the web UI on the API's own origin works");

        Terminal withKey = new Terminal(json, WAIT);
        withKey.socket = jdk.newWebSocketBuilder().header("Authorization", "Bearer " + api.apiKey())
                .header("Origin", "http://evil.example")
                .buildAsync(uri(id, "tty=false&" + command("echo", "key")), withKey).join();
        withKey.awaitExit();
        assertEquals("key\n", withKey.output(), "API keys are not Origin-checked");
    }

    private Terminal open(String sandbox, String query) {
        Terminal terminal = new Terminal(json, WAIT);
        terminal.socket = jdk.newWebSocketBuilder().header("Authorization", "Bearer " + api.apiKey())
                .buildAsync(uri(sandbox, query), terminal).join();
        return terminal;
    }

    private URI uri(String sandbox, String query) {
        return URI.create("ws://localhost:" + server.getPort() + "/api/v1/sandboxes/" + sandbox
                + "/exec/interactive" + (query.isEmpty() ? "" : "?" + query));
    }

    private static String command(String... argv) {
        return List.of(argv).stream().map(a -> "command=" + URLEncoder.encode(a, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
