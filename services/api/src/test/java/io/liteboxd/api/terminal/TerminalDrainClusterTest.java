package io.liteboxd.api.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * "Drain, don't kick" for terminals: once a drain begins, readiness fails and new terminals are
 * refused, but an open terminal keeps working, and the drain waits for it to end; a session
 * terminal is handed over instead (1012), since its shell lives in the sandbox. (A class of its
 * own: a drain cannot be undone, so it ends this application context's useful life.)
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class TerminalDrainClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();
    static final Duration WAIT = Duration.ofSeconds(30);

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
    void anOpenTerminalOutlivesTheStartOfADrainAndASessionTerminalIsHandedOver() throws Exception {
        Terminal terminal = open("tty=true");
        terminal.input("echo before\n");
        terminal.awaitOutput(typed("before"));
        // A session terminal's shell lives in the sandbox: the drain hands its client over (1012,
        // reconnect elsewhere) instead of waiting for it (docs/sessions.md).
        Terminal session = open("session=new&tty=true");
        assertEquals("session", session.next().get("type"));
        assertEquals(2, drain.activeSessions());

        CompletableFuture<Void> drained = drain.begin();
        assertEquals(1012, session.closed.get(30, TimeUnit.SECONDS), "the session terminal is told to reconnect");
        assertEquals(1, drain.activeSessions(), "only the plain terminal is waited for");
        var readyz = jdk.send(java.net.http.HttpRequest.newBuilder(uri("http", "/readyz")).build(), BodyHandlers.ofString());
        assertEquals(503, readyz.statusCode());
        assertEquals(Map.of("status", "draining"), json.readValue(readyz.body(), Map.class));
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> connect(new Terminal(json, WAIT), "tty=true").join());
        assertEquals(503, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode(),
                "a new terminal is refused so the client goes to another replica");

        terminal.input("echo during\n");
        terminal.awaitOutput(typed("during"));
        assertFalse(drained.isDone(), "the drain waits for the open terminal");

        terminal.input("exit\n");
        terminal.awaitExit();
        assertEquals(1000, terminal.closed.get(30, TimeUnit.SECONDS));
        drained.get(30, TimeUnit.SECONDS);
        assertEquals(0, drain.activeSessions());
    }

    /**
     * The command's own output of {@code echo text}: the echo of the typed line contains the text
     * too. It need not start a line: a line typed before the shell's first prompt is echoed by the
     * tty at once, and the output then follows the prompt ("echo before\r\n# before").
     */
    private static java.util.function.Predicate<String> typed(String text) {
        return output -> output.replace("echo " + text, "").contains(text);
    }

    private Terminal open(String query) {
        Terminal terminal = new Terminal(json, WAIT);
        terminal.socket = connect(terminal, query).join();
        return terminal;
    }

    private CompletableFuture<WebSocket> connect(Terminal terminal, String query) {
        return jdk.newWebSocketBuilder().header("Authorization", "Bearer " + api.apiKey())
                .buildAsync(uri("ws", "/api/v1/sandboxes/" + id + "/exec/interactive?" + query), terminal);
    }

    private URI uri(String scheme, String path) {
        return URI.create(scheme + "://localhost:" + server.getPort() + path);
    }
}
