package io.liteboxd.api.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.sandbox.ClusterTestNamespace;
import io.liteboxd.common.lifecycle.Drain;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * "Drain, don't kick" for terminals: once a drain begins, readiness fails and new terminals are
 * refused, but an open terminal keeps working, and the drain waits for it to end. (A class of its
 * own: a drain cannot be undone, so it ends this application context's useful life.)
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class TerminalDrainClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    CoreV1Api core;

    @Inject
    EmbeddedServer server;

    @Inject
    JsonMapper json;

    @Inject
    Drain drain;

    final java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
    ApiClient api;
    String id;

    @Override
    public String namespace() {
        return NAMESPACE;
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
    void anOpenTerminalOutlivesTheStartOfADrain() throws Exception {
        BlockingQueue<Map<?, ?>> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket terminal = connect(frames, closed).join();
        send(terminal, "echo before\n");
        awaitOutput(frames, "before");

        CompletableFuture<Void> drained = drain.begin();
        var readyz = jdk.send(java.net.http.HttpRequest.newBuilder(uri("http", "/readyz")).build(), BodyHandlers.ofString());
        assertEquals(503, readyz.statusCode());
        assertEquals(Map.of("status", "draining"), json.readValue(readyz.body(), Map.class));
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> connect(new LinkedBlockingQueue<>(), new CompletableFuture<>()).join());
        assertEquals(503, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode(),
                "a new terminal is refused so the client goes to another replica");

        send(terminal, "echo during\n");
        awaitOutput(frames, "during");
        assertFalse(drained.isDone(), "the drain waits for the open terminal");

        send(terminal, "exit\n");
        assertEquals(1000, closed.get(30, TimeUnit.SECONDS));
        drained.get(30, TimeUnit.SECONDS);
        assertEquals(0, drain.activeSessions());
    }

    private CompletableFuture<WebSocket> connect(BlockingQueue<Map<?, ?>> frames, CompletableFuture<Integer> closed) {
        return jdk.newWebSocketBuilder().header("Authorization", "Bearer " + api.apiKey())
                .buildAsync(uri("ws", "/api/v1/sandboxes/" + id + "/exec/interactive?tty=true"), new WebSocket.Listener() {
                    final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            try {
                                frames.add(json.readValue(partial.toString(), Map.class));
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                });
    }

    private void send(WebSocket terminal, String input) throws Exception {
        terminal.sendText(json.writeValueAsString(Map.of("type", "input", "data", input)), true).join();
    }

    private static void awaitOutput(BlockingQueue<Map<?, ?>> frames, String text) throws InterruptedException {
        StringBuilder output = new StringBuilder();
        // The echo of the typed line contains the text too; wait for the command's own output. It
        // need not start a line: a line typed before the shell's first prompt is echoed by the
        // tty at once, and the output then follows the prompt ("echo before\r\n# before").
        while (!output.toString().replace("echo " + text, "").contains(text)) {
            Map<?, ?> frame = frames.poll(30, TimeUnit.SECONDS);
            assertTrue(frame != null, "no output; so far: " + output);
            output.append(frame.get("data"));
        }
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://localhost:" + server.getPort() + path);
    }
}
