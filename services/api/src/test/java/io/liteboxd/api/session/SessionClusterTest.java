package io.liteboxd.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.sandbox.ClusterTestNamespace;
import io.liteboxd.api.terminal.Terminal;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Sessions (docs/sessions.md) against a real sandbox pod and its session helper: a terminal whose
 * connection is cut is reattached with every line and the same process, a second attachment takes
 * the session over, and a background command's output is read from a cursor.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class SessionClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();
    static final Duration WAIT = Duration.ofSeconds(30);
    /** Prints n1, n2, ... five times a second, forever. */
    static final String COUNTER = "i=0; while :; do i=$((i+1)); echo n$i; sleep 0.2; done";
    static final Pattern LINE = Pattern.compile("n(\\d+)\r?\n");

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

    @BeforeAll
    void startSandbox() throws Exception {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        id = ClusterTestNamespace.runningSandbox(api, "sess", List.of("sleep", "infinity"), Map.of());
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    @Test
    void aCutTerminalIsReattachedWithEveryLineAndTheSameProcess() throws Exception {
        CutAndReattached cut = cutAndReattach(id);
        String session = cut.session();
        Terminal second = cut.second();

        // A third attachment takes the session over: the second is closed with 4001, without an exit.
        Terminal third = open("session=" + session);
        assertEquals("session", third.next().get("type"));
        assertEquals(4001, second.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(second.frames.stream().anyMatch(f -> "exit".equals(f.get("type"))), second.frames.toString());

        // Without a cursor the replay is everything still buffered, from the first line.
        third.awaitOutput(s -> s.startsWith("n1\r\n") && counted(s).size() > 3);
        third.send(Map.of("type", "input", "data", "\u0003")); // ^C ends the counter, and with it sh -c
        Map<?, ?> exit = third.awaitExit();
        assertEquals("exit", exit.get("type"));
        assertTrue(listed(session).get("running").equals(false), "ended with its process");
    }

    /** A counting terminal session: connection cut, reattached from its cursor: every line once, same process. */
    record CutAndReattached(String session, Terminal second) {}

    private CutAndReattached cutAndReattach(String sandbox) throws Exception {
        Terminal first = open(sandbox, "session=new&tty=true&" + command("sh", "-c", COUNTER));
        Map<?, ?> hello = first.next();
        assertEquals("session", hello.get("type"), hello.toString());
        String session = (String) hello.get("session");
        long pid = ((Number) hello.get("pid")).longValue();
        assertEquals(0L, cursorOf(hello), "a new session replays from its first byte");
        first.awaitOutput(s -> s.contains("n5\n") || s.contains("n5\r\n"));
        long cursor = lastCursor(first);
        first.socket.abort(); // the client's connection is cut, no close frame

        // The process keeps counting meanwhile; the reattach replays exactly from the cursor.
        Await.until(Duration.ofSeconds(10), "the counter to go on while nobody is attached",
                () -> produced(sandbox, session) > cursor + 20);
        Terminal second = open(sandbox, "session=" + session + "&cursor=" + cursor);
        Map<?, ?> again = second.next();
        assertEquals("session", again.get("type"), again.toString());
        assertEquals(session, again.get("session"));
        assertEquals(pid, ((Number) again.get("pid")).longValue(), "the same process");
        assertEquals(cursor, cursorOf(again), "the replay starts where the first connection stopped");
        assertEquals(0L, ((Number) again.get("dropped")).longValue());
        second.awaitOutput(s -> counted(s).size() > 10);
        List<Integer> lines = new ArrayList<>(counted(first.output()));
        lines.addAll(counted(second.output()));
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(i + 1, lines.get(i), "every line once, in order, across both connections: " + lines);
        }
        return new CutAndReattached(session, second);
    }

    /** The helper needs nothing of the runtime: under gVisor too (its own PTYs, sockets and process groups). */
    @Test
    void underGvisorTooAndClosedByDelete() throws Exception {
        String gvisor = ClusterTestNamespace.runningSandbox(api, "sess-gvisor", List.of("sleep", "infinity"),
                Map.of("runtimeClassName", "gvisor"));
        CutAndReattached cut = cutAndReattach(gvisor);
        assertEquals(204, api.send(HttpRequest.DELETE("/api/v1/sandboxes/" + gvisor + "/sessions/" + cut.session()))
                .status().getCode());
        Map<?, ?> exit = cut.second().awaitExit();
        assertEquals(Map.of("type", "exit", "exitCode", 129), exit, "HUP to a terminal's process group: 128 + 1");
    }

    @Test
    void aBackgroundCommandIsReadFromACursorAndClosed() throws Exception {
        ApiClient.Reply started = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/sessions",
                Map.of("command", List.of("sh", "-c", "echo first; echo ünïcode; sleep 0.5; echo last; exit 7"))));
        assertEquals(201, started.status().getCode(), String.valueOf(started.body()));
        String session = (String) started.map().get("id");
        Await.until(WAIT, "the command to end", () -> Boolean.FALSE.equals(listed(session).get("running")));
        Map<?, ?> all = output(session, null, null);
        assertEquals("first\nünïcode\nlast\n", all.get("data"));
        assertEquals(7, ((Number) all.get("exit_code")).intValue());
        assertEquals(0, ((Number) all.get("cursor")).intValue());
        // From a cursor, a few bytes at a time: the same text, never a character cut in two.
        StringBuilder text = new StringBuilder();
        long cursor = 0;
        for (int i = 0; i < 40 && text.length() < 18; i++) {
            Map<?, ?> part = output(session, cursor, 3);
            text.append(part.get("data"));
            cursor = ((Number) part.get("next")).longValue();
        }
        assertEquals("first\nünïcode\nlast\n", text.toString());

        String sleeping = (String) api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/sessions",
                Map.of("command", List.of("sleep", "600")))).map().get("id");
        assertEquals(Boolean.TRUE, listed(sleeping).get("running"));
        assertEquals(204, api.send(HttpRequest.DELETE("/api/v1/sandboxes/" + id + "/sessions/" + sleeping))
                .status().getCode());
        // A closed session is gone once its process has ended (an ended one is no longer listed).
        Await.until(WAIT, "the closed session to end", () -> sessions().stream()
                .noneMatch(s -> sleeping.equals(s.get("id")) && Boolean.TRUE.equals(s.get("running"))));
        Map<?, ?> ps = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/exec",
                Map.of("command", List.of("sh", "-c", "ps -eo args")))).map();
        assertFalse(String.valueOf(ps.get("stdout")).contains("sleep 600"), "its process is gone: " + ps);
    }

    private List<Map<?, ?>> sessions() {
        return sessions(id);
    }

    private List<Map<?, ?>> sessions(String sandbox) {
        Map<?, ?> body = api.send(HttpRequest.GET("/api/v1/sandboxes/" + sandbox + "/sessions")).map();
        return ((List<?>) body.get("items")).stream().<Map<?, ?>>map(Map.class::cast).toList();
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        for (String bad : List.of("/sessions/--help/output", "/sessions/a%2Fb/output", "/sessions/nope/output",
                "/sessions/nope/output?cursor=-1")) {
            int status = api.send(HttpRequest.GET("/api/v1/sandboxes/" + id + bad)).status().getCode();
            assertTrue(status == 400 || status == 404, bad + ": " + status);
        }
        assertEquals(404, api.send(HttpRequest.DELETE("/api/v1/sandboxes/" + id + "/sessions/nope")).status().getCode());
        assertEquals(400, api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/sessions",
                Map.of("command", List.of()))).status().getCode());
        assertEquals(400, api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/sessions",
                Map.of("command", List.of("true"), "env", Map.of("A=B", "x")))).status().getCode());
        assertEquals(404, api.send(HttpRequest.GET("/api/v1/sandboxes/nosuchbox/sessions")).status().getCode());
        Terminal badCursor = open("session=nope&cursor=x");
        assertEquals("error", badCursor.next().get("type"), "a bad reattach is an error frame, as any start failure");
    }

    private Map<?, ?> listed(String session) {
        return listed(id, session);
    }

    private Map<?, ?> listed(String sandbox, String session) {
        List<Map<?, ?>> all = sessions(sandbox);
        return all.stream().filter(s -> session.equals(s.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("session " + session + " not listed: " + all));
    }

    private long produced(String sandbox, String session) {
        return ((Number) listed(sandbox, session).get("produced")).longValue();
    }

    private Map<?, ?> output(String session, Long cursor, Integer max) {
        String query = (cursor == null ? "" : "cursor=" + cursor) + (max == null ? "" : "&max=" + max);
        ApiClient.Reply reply = api.send(HttpRequest.GET("/api/v1/sandboxes/" + id + "/sessions/" + session
                + "/output?" + query));
        assertEquals(200, reply.status().getCode(), String.valueOf(reply.body()));
        return reply.map();
    }

    private static long cursorOf(Map<?, ?> frame) {
        Object cursor = frame.get("cursor");
        return cursor == null ? 0 : ((Number) cursor).longValue(); // 0 may be left out like other zeros
    }

    /** The cursor of the last output frame the terminal has read. */
    private static long lastCursor(Terminal terminal) {
        return terminal.outputFrames().stream().map(SessionClusterTest::cursorOf).reduce((a, b) -> b).orElseThrow();
    }

    private static List<Integer> counted(String output) {
        List<Integer> numbers = new ArrayList<>();
        Matcher m = LINE.matcher(output);
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers;
    }

    private Terminal open(String query) {
        return open(id, query);
    }

    private Terminal open(String sandbox, String query) {
        Terminal terminal = new Terminal(json, WAIT);
        terminal.socket = jdk.newWebSocketBuilder().header("Authorization", "Bearer " + api.apiKey())
                .buildAsync(URI.create("ws://localhost:" + server.getPort() + "/api/v1/sandboxes/" + sandbox
                        + "/exec/interactive?" + query), terminal).join();
        return terminal;
    }

    private static String command(String... argv) {
        return List.of(argv).stream().map(a -> "command=" + URLEncoder.encode(a, StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
