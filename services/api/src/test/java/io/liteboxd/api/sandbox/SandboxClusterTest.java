package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.auth.Secrets;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.testing.Scrape;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Sandboxes on the real test-bed cluster (KUBECONFIG from hack/cluster.sh): create from a
 * template with the test bed's sandbox image, see it become running through the pod informer,
 * read it, delete it, and see the pod and the record go. Bad input changes nothing.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class SandboxClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    CoreV1Api core;

    @Inject
    SandboxRepository sandboxes;

    ApiClient api;

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @BeforeAll
    void login() throws Exception {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        Map<String, Object> spec = Map.of(
                "image", System.getenv().getOrDefault("LBX_SANDBOX_IMAGE", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1"),
                "command", List.of("sleep", "infinity"),
                "ttl", 600,
                "env", Map.of("GREETING", "hello"),
                "files", List.of(Map.of("destination", "/workspace/conf/hello.txt", "content", "hi there")),
                "startupScript", "echo started > /workspace/started",
                "readinessProbe", Map.of("exec", Map.of("command",
                        List.of("sh", "-c", "grep -q 'hi there' /workspace/conf/hello.txt && test -f /workspace/started")),
                        "periodSeconds", 1));
        Reply template = api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "py", "spec", spec)));
        assertEquals(HttpStatus.CREATED, template.status(), String.valueOf(template.body()));
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    Map<?, ?> waitFor(String id, Predicate<Reply> done) throws Exception {
        return ClusterTestNamespace.waitFor(api, id, done);
    }

    String scrape() {
        return http.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class);
    }

    @Test
    void aSandboxLivesAndDiesWithItsPod() throws Exception {
        String scrapedBefore = scrape();
        Reply created = api.send(HttpRequest.POST("/api/v1/sandboxes",
                Map.of("template", "py", "overrides", Map.of("cpu", "250m", "memory", "96Mi", "env", Map.of("EXTRA", "1")))));
        assertEquals(HttpStatus.CREATED, created.status(), String.valueOf(created.body()));
        String id = (String) created.map().get("id");
        String token = (String) created.map().get("accessToken");
        assertTrue(id.matches("[0-9a-f]{8}"), id);
        assertTrue(token.matches("[0-9a-f]{64}"));
        assertEquals("http://gateway.test/api/v1/sandbox/" + id, created.map().get("accessUrl"));
        assertEquals("http://{port}-" + id + ".sbx.test", created.map().get("accessUrlTemplate"), "host mode's own origin");
        assertEquals("pending", created.map().get("status"));
        assertEquals(Map.of("GREETING", "hello", "EXTRA", "1"), created.map().get("env"));

        Map<?, ?> running = waitFor(id, r -> "running".equals(r.map().get("status")));
        assertEquals(token, running.get("accessToken"), "GET returns the decrypted token");
        // The create and (once the pod informer saw it Ready) its time to running are on Prometheus (docs/metrics.md).
        String scrapedAfter = scrape();
        for (String series : List.of("liteboxd_sandbox_create_seconds_count{path=\"cold\"}",
                "liteboxd_sandbox_time_to_running_seconds_count")) {
            assertTrue(Scrape.value(scrapedAfter, series) >= Scrape.value(scrapedBefore, series) + 1, series + ":\n" + scrapedAfter);
        }
        assertNotNull(running.get("pod_ip"));

        V1Pod pod = core.readNamespacedPod(SandboxContract.podName(id), NAMESPACE).execute();
        String podJson = io.kubernetes.client.openapi.JSON.serialize(pod);
        assertFalse(podJson.contains(token), "the plaintext token is on no Kubernetes object");
        var annotations = pod.getMetadata().getAnnotations();
        assertEquals(Secrets.sha256Hex(token), annotations.get(SandboxContract.TOKEN_SHA256_ANNOTATION));
        assertEquals(running.get("expires_at"), annotations.get(SandboxContract.EXPIRES_AT_ANNOTATION));
        assertEquals("RuntimeDefault", pod.getSpec().getSecurityContext().getSeccompProfile().getType());
        assertEquals(false, pod.getSpec().getAutomountServiceAccountToken());
        var main = pod.getSpec().getContainers().get(0);
        assertEquals(false, main.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals("96Mi", main.getResources().getRequests().get("memory").toSuffixedString(),
                "requests never exceed limits");

        Reply list = api.send(HttpRequest.GET("/api/v1/sandboxes"));
        Map<?, ?> listed = ((List<?>) list.map().get("items")).stream().map(Map.class::cast)
                .filter(m -> id.equals(m.get("id"))).findFirst().orElseThrow();
        assertFalse(listed.containsKey("accessToken"), "lists never carry tokens");

        for (String action : List.of("restart", "stop", "start")) {
            Reply refused = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/" + action, Map.of()));
            assertEquals(HttpStatus.BAD_REQUEST, refused.status());
            assertEquals(Map.of("error", "sandbox " + action + " is only supported for persistence-enabled sandboxes"),
                    refused.body());
            Reply unknown = api.send(HttpRequest.POST("/api/v1/sandboxes/00000000/" + action, Map.of()));
            assertEquals(Map.of("error", "sandbox not found"), unknown.body());
        }

        Reply deleted = api.send(HttpRequest.DELETE("/api/v1/sandboxes/" + id));
        assertEquals(HttpStatus.ACCEPTED, deleted.status());
        assertEquals("terminating", deleted.map().get("status"));
        waitFor(id, r -> r.status() == HttpStatus.NOT_FOUND);
        assertEquals(HttpStatus.ACCEPTED, api.send(HttpRequest.DELETE("/api/v1/sandboxes/" + id)).status(),
                "deleting again is idempotent");

        List<?> history = (List<?>) api.send(HttpRequest.GET("/api/v1/sandboxes/" + id + "/status-history")).map().get("items");
        List<String> transitions = history.stream().map(Map.class::cast)
                .map(h -> h.get("from_status") + ">" + h.get("to_status")).toList().reversed();
        assertEquals(List.of(">creating", "creating>pending", "pending>running", "running>terminating", "terminating>deleted"),
                transitions);
        assertTrue(core.listNamespacedPod(NAMESPACE).labelSelector("sandbox-id=" + id).execute().getItems().isEmpty());
    }

    /**
     * The command runs one of the template's own files at once, and that file needs what the
     * startup script made; the script takes a while. When the command raced the postStart hook,
     * sh found no file (exit 2) and the sandbox failed; through the launcher it waits.
     */
    @Test
    void aCommandStartsOnlyOnceItsFilesAndStartupScriptAreInPlace() throws Exception {
        Map<String, Object> spec = Map.of(
                "image", SANDBOX_IMAGE,
                "command", List.of("sh", "/workspace/run.sh"),
                "args", List.of("first arg"),
                "ttl", 600,
                "files", List.of(Map.of("destination", "/workspace/run.sh", "content",
                        "test -f /workspace/prepared || exit 3\necho \"ok $1\" > /tmp/x\nexec sleep 3600\n")),
                "startupScript", "sleep 2\necho prepared > /workspace/prepared");
        Reply template = api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "runs-own-file", "spec", spec)));
        assertEquals(HttpStatus.CREATED, template.status(), String.valueOf(template.body()));
        String id = (String) api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", "runs-own-file")))
                .map().get("id");

        Map<?, ?> running = waitFor(id, r -> !"pending".equals(r.map().get("status")));
        assertEquals("running", running.get("status"), String.valueOf(running));
        Reply exec = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/exec", Map.of("command",
                List.of("sh", "-c", "cat /tmp/x; tr '\\0' ' ' < /proc/1/cmdline; echo; ls /.liteboxd"))));
        assertEquals(HttpStatus.OK, exec.status(), String.valueOf(exec.body()));
        assertEquals(Map.of("exit_code", 0, "stdout", "ok first arg\nsleep 3600 \nlbx-session\npause\n"),
                Map.of("exit_code", exec.map().get("exit_code"), "stdout", exec.map().get("stdout")),
                "the script ran with its args; the launcher exec'd it (PID 1 is the command, not the launcher) "
                        + "and consumed the ready file");

        V1Pod pod = core.readNamespacedPod(SandboxContract.podName(id), NAMESPACE).execute();
        var init = pod.getSpec().getInitContainers().getFirst();
        assertEquals(false, init.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), init.getSecurityContext().getCapabilities().getDrop());
        assertEquals(0, pod.getStatus().getInitContainerStatuses().getFirst().getState().getTerminated().getExitCode());
        assertEquals(HttpStatus.ACCEPTED, api.send(HttpRequest.DELETE("/api/v1/sandboxes/" + id)).status());
    }

    @Test
    void badRequestsAreRejectedBeforeAnythingIsWritten() throws Exception {
        long rows = sandboxes.count();
        int pods = core.listNamespacedPod(NAMESPACE).execute().getItems().size();
        Map<String, Map<String, Object>> cases = Map.of(
                "template 'nope' not found", Map.of("template", "nope"),
                "version 9 not found for template 'py'", Map.of("template", "py", "templateVersion", 9),
                "invalid overrides.cpu: a-lot", Map.of("template", "py", "overrides", Map.of("cpu", "a-lot")),
                "invalid overrides.memory: 1XB", Map.of("template", "py", "overrides", Map.of("memory", "1XB")),
                "ttl must be >= 0", Map.of("template", "py", "overrides", Map.of("ttl", -5)),
                "overrides.cpu 64 exceeds the maximum 2",
                Map.of("template", "py", "overrides", Map.of("cpu", "64", "memory", "512Gi")),
                "template is required", Map.of("overrides", Map.of()));
        cases.forEach((message, body) -> {
            Reply reply = api.send(HttpRequest.POST("/api/v1/sandboxes", body));
            assertTrue(reply.status() == HttpStatus.BAD_REQUEST || reply.status() == HttpStatus.NOT_FOUND,
                    reply.toString());
            assertEquals(Map.of("error", message), reply.body());
        });
        assertEquals(rows, sandboxes.count());
        assertEquals(pods, core.listNamespacedPod(NAMESPACE).execute().getItems().size());
        assertEquals(Map.of("error", "sandbox not found"), api.send(HttpRequest.GET("/api/v1/sandboxes/00000000")).body());
        assertEquals(HttpStatus.NOT_FOUND, api.send(HttpRequest.DELETE("/api/v1/sandboxes/00000000")).status());
    }
}
