package io.liteboxd.api.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.sandbox.ClusterTestNamespace;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Bounded memory and deadlines against a real pod: the logs route cuts an endless line and caps
 * the total, a download that never starts is 504 (and its command killed), execs beyond
 * {@code max-sessions} are 503.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class ExecLimitsClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();
    /** How long the pod's logs and the exec sessions get to reach what a test waits for. */
    static final Duration WITHIN = Duration.ofSeconds(30);

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    CoreV1Api core;

    @Inject
    PodExec exec;

    ApiClient api;
    String id;

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Map<String, String> clusterProperties() {
        return Map.of("liteboxd.exec.max-sessions", "2",
                "liteboxd.files.first-byte-timeout", "2s",
                "liteboxd.logs.max-bytes", "300000",
                "liteboxd.logs.max-line-bytes", "1024");
    }

    @BeforeAll
    void startSandbox() throws Exception {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        id = ClusterTestNamespace.runningSandbox(api, "limits", List.of("sh", "-c",
                "head -c 200000 /dev/zero | tr '\\0' x; echo; echo after-the-long-line; exec sleep infinity"), Map.of());
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    Reply exec(String... command) {
        return api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/exec", Map.of("command", List.of(command))));
    }

    String logs() {
        Reply reply = api.send(HttpRequest.GET("/api/v1/sandboxes/" + id + "/logs"));
        assertEquals(HttpStatus.OK, reply.status());
        assertEquals(java.util.Set.of("logs", "events"), reply.map().keySet(), "upstream's shape");
        return (String) reply.map().get("logs");
    }

    @Test
    void logsCutLongLinesAndStopAtTheByteLimit() throws Exception {
        Await.until(WITHIN, "the log has both lines", () -> logs().contains("after-the-long-line"));
        String logs = logs();
        assertTrue(logs.startsWith("x".repeat(1024) + "…[line cut, " + (200_000 - 1024) + " bytes dropped]\n"
                + "after-the-long-line\n"), logs.substring(0, Math.min(logs.length(), 1200)));

        // 100 lines of 5000 bytes on main's stdout: the tail is 500 kB, more than the 300 kB limit.
        assertEquals(0, exec("sh", "-c", "for i in $(seq 100); do head -c 5000 /dev/zero | tr '\\0' y; echo; done"
                + " > /proc/1/fd/1").map().get("exit_code"));
        Await.until(WITHIN, "the tail is cut at the limit", () -> logs().endsWith("…[logs cut at 300000 bytes]"));
        logs = logs();
        assertTrue(logs.startsWith("y".repeat(1024) + "…[line cut, 3976 bytes dropped]\n"), logs.substring(0, 1100));
        assertTrue(logs.length() < 70_000, logs.length() + " characters: about 60 cut lines");
    }

    @Test
    void aDownloadThatNeverStartsIs504AndItsCommandIsKilled() throws Exception {
        assertEquals(0, exec("mkfifo", "/tmp/never").map().get("exit_code"));
        Reply reply = api.send(HttpRequest.GET("/api/v1/sandboxes/" + id + "/files?path=/tmp/never"));
        assertEquals(HttpStatus.GATEWAY_TIMEOUT, reply.status());
        assertEquals(Map.of("error", "timed out waiting for the sandbox"), reply.body());
        Await.until(WITHIN, "the download's cat is gone",
                () -> !((String) exec("ps", "-eo", "args").map().get("stdout")).contains("/tmp/never"));
    }

    @Test
    void execsBeyondTheCapAre503() throws Exception {
        Await.until(WITHIN, "nothing else open", () -> exec.openSessions() == 0);
        var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        List<CompletableFuture<Reply>> holders = List.of(
                CompletableFuture.supplyAsync(() -> exec("sleep", "6"), threads),
                CompletableFuture.supplyAsync(() -> exec("sleep", "6"), threads));
        Await.until(WITHIN, "both execs open", () -> exec.openSessions() == 2);
        Reply refused = exec("true");
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, refused.status());
        assertEquals(Map.of("error", "too many exec sessions, retry later"), refused.body());
        for (CompletableFuture<Reply> holder : holders) {
            assertEquals(0, holder.join().map().get("exit_code"));
        }
        Await.until(WITHIN, "the sessions are released", () -> exec.openSessions() == 0);
        assertEquals(HttpStatus.OK, exec("true").status());
    }
}
