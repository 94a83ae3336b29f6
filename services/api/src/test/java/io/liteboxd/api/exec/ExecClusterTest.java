package io.liteboxd.api.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.sandbox.ClusterTestNamespace;
import io.liteboxd.common.testing.Scrape;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** Exec and logs against a real sandbox pod on the test-bed cluster. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class ExecClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    CoreV1Api core;

    ApiClient api;
    String id;

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Map<String, String> clusterProperties() {
        // The test's own HTTP client must wait for the 90-second command too.
        return Map.of("micronaut.http.client.read-timeout", "5m");
    }

    @BeforeAll
    void startSandbox() throws Exception {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        id = ClusterTestNamespace.runningSandbox(api, "shell",
                List.of("sh", "-c", "echo hello-from-main; echo oops >&2; exec sleep infinity"), Map.of());
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    Map<?, ?> exec(Object command, Integer timeout) {
        Map<String, Object> body = timeout == null ? Map.of("command", command) : Map.of("command", command, "timeout", timeout);
        Reply reply = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/exec", body));
        assertEquals(HttpStatus.OK, reply.status(), String.valueOf(reply.body()));
        return reply.map();
    }

    @Test
    void exitCodesAndSeparateStreams() {
        assertEquals(Map.of("exit_code", 0, "stdout", "", "stderr", ""), exec(List.of("true"), null));
        assertEquals(Map.of("exit_code", 3, "stdout", "out\n", "stderr", "err\n"),
                exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), null));
        Map<?, ?> missing = exec(List.of("no-such-program"), null);
        assertEquals(127, missing.get("exit_code"));
        assertTrue(((String) missing.get("stderr")).contains("no-such-program"), missing.toString());
        assertEquals("héllo ✓ 你好\n", exec(List.of("printf", "héllo ✓ 你好\\n"), null).get("stdout"),
                "multi-byte text survives");
        String big = (String) exec(List.of("sh", "-c", "head -c 3000000 /dev/zero | tr '\\0' x"), null).get("stdout");
        assertEquals(3_000_000, big.length(), "output larger than any single frame arrives whole");
    }

    /** Each exec that ran is one observation of liteboxd_exec_seconds; a refused one is none (docs/metrics.md). */
    @Test
    void execsThatRanAreTimedOnPrometheus() {
        double before = Scrape.value(scrape(), "liteboxd_exec_seconds_count");
        exec(List.of("sleep", "0.3"), null);
        Reply refused = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/exec", Map.of("command", List.of())));
        assertEquals(HttpStatus.BAD_REQUEST, refused.status());
        String after = scrape();
        assertEquals(before + 1, Scrape.value(after, "liteboxd_exec_seconds_count"), after);
        assertTrue(Scrape.value(after, "liteboxd_exec_seconds_bucket{le=\"+Inf\"}")
                > Scrape.value(after, "liteboxd_exec_seconds_bucket{le=\"0.2\"}"), "the 0.3 s exec is above 0.2 s: " + after);
    }

    String scrape() {
        return http.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class);
    }

    @Test
    void aNinetySecondCommandIsNotCutShort() {
        assertEquals(Map.of("exit_code", 0, "stdout", "done\n", "stderr", ""),
                exec(List.of("sh", "-c", "sleep 90; echo done"), 120));
    }

    @Test
    void aTimedOutCommandIsKilledInTheSandbox() {
        Map<?, ?> timedOut = exec(List.of("sh", "-c", "echo started; sleep 301 & sleep 302"), 2);
        assertEquals(124, timedOut.get("exit_code"));
        assertEquals("started\n", timedOut.get("stdout"));
        assertTrue(((String) timedOut.get("stderr")).endsWith("command timed out after 2s"), timedOut.toString());
        String processes = (String) exec(List.of("ps", "-eo", "args"), null).get("stdout");
        assertFalse(processes.contains("sleep 301") || processes.contains("sleep 302"),
                "the command and its children are gone:\n" + processes);
    }

    @Test
    void badExecRequestsAreRejected() {
        Map<String, Object> cases = Map.of(
                "command is required", Map.of("command", List.of()),
                "timeout must be <= 3600", Map.of("command", List.of("true"), "timeout", 3601));
        cases.forEach((message, body) -> {
            Reply reply = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/exec", body));
            assertEquals(HttpStatus.BAD_REQUEST, reply.status());
            assertEquals(Map.of("error", message), reply.body());
        });
        Reply unknown = api.send(HttpRequest.POST("/api/v1/sandboxes/00000000/exec", Map.of("command", List.of("true"))));
        assertEquals(HttpStatus.NOT_FOUND, unknown.status());
        assertEquals(Map.of("error", "sandbox not found"), unknown.body());
    }

    @Test
    void logsShowTheTailOfMainAndThePodsEvents() {
        Reply reply = api.send(HttpRequest.GET("/api/v1/sandboxes/" + id + "/logs"));
        assertEquals(HttpStatus.OK, reply.status());
        String logs = (String) reply.map().get("logs");
        assertTrue(logs.contains("hello-from-main") && logs.contains("oops"), logs);
        List<?> events = (List<?>) reply.map().get("events");
        assertTrue(events.stream().anyMatch(e -> ((String) e).startsWith("[Normal] Scheduled: ")), events.toString());
        assertTrue(events.stream().anyMatch(e -> ((String) e).startsWith("[Normal] Started: ")), events.toString());
        assertEquals(HttpStatus.NOT_FOUND, api.send(HttpRequest.GET("/api/v1/sandboxes/00000000/logs")).status());
    }
}
