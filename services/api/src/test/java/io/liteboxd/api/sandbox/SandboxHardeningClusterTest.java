package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.hardening.SandboxPodSettings;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The hardened sandbox pod on the test-bed cluster (docs/security.md, Sandbox pods): the process
 * has exactly the default capabilities, root still owns the sandbox (chown, id), and a workspace
 * written past its sizeLimit (16Mi here) gets the pod evicted and the sandbox failed. Runs with
 * the default SANDBOX_HOST_USERS (true): the test bed's containerd 1.6 has no user namespaces.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class SandboxHardeningClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();
    static final String WORKSPACE_LIMIT = "16Mi";
    /** The kubelet measures emptyDir usage about once a minute (volumeStatsAggPeriod) and evicts on its next pass. */
    static final Duration EVICTION = Duration.ofSeconds(180);
    /** Kernel numbers (include/uapi/linux/capability.h) of the default capabilities, written out independently. */
    static final Map<String, Integer> NUMBERS = Map.of("AUDIT_WRITE", 29, "CHOWN", 0, "DAC_OVERRIDE", 1, "FOWNER", 3, "FSETID", 4,
            "KILL", 5, "SETGID", 6, "SETUID", 7, "NET_BIND_SERVICE", 10);

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
        return Map.of("liteboxd.sandbox.pod.workspace-size-limit", WORKSPACE_LIMIT);
    }

    @BeforeAll
    void startSandbox() throws Exception {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        id = ClusterTestNamespace.runningSandbox(api, "hardened", List.of("sleep", "infinity"), Map.of());
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    Map<?, ?> exec(String sandbox, String script) {
        Reply reply = api.send(HttpRequest.POST("/api/v1/sandboxes/" + sandbox + "/exec",
                Map.of("command", List.of("sh", "-c", script))));
        assertEquals(HttpStatus.OK, reply.status(), String.valueOf(reply.body()));
        return reply.map();
    }

    @Test
    void theProcessHasExactlyTheConfiguredCapabilities() throws Exception {
        long mask = 0;
        for (String name : SandboxPodSettings.DEFAULT_CAPABILITIES.split(",")) {
            mask |= 1L << NUMBERS.get(name);
        }
        String expected = String.format("%016x", mask);
        assertEquals("00000000200004fb", expected, "the defaults' mask, as capsh --decode would show it");
        Map<?, ?> status = exec(id, "grep -E '^Cap(Eff|Prm|Bnd):' /proc/self/status");
        assertEquals(0, status.get("exit_code"), status.toString());
        assertEquals("CapPrm:\t" + expected + "\nCapEff:\t" + expected + "\nCapBnd:\t" + expected + "\n",
                status.get("stdout"), "root's effective, permitted and bounding sets are the configured list");

        V1Pod pod = core.readNamespacedPod(SandboxContract.podName(id), NAMESPACE).execute();
        var main = pod.getSpec().getContainers().getFirst();
        assertEquals(List.of("ALL"), main.getSecurityContext().getCapabilities().getDrop());
        assertEquals(Quantity.fromString("2Gi"), main.getResources().getLimits().get("ephemeral-storage"));
        assertEquals(Quantity.fromString(WORKSPACE_LIMIT), pod.getSpec().getVolumes().getFirst().getEmptyDir().getSizeLimit());
        assertTrue(pod.getSpec().getTolerations().stream().noneMatch(t -> String.valueOf(t.getKey()).contains("pressure")),
                "only the API server's default not-ready/unreachable tolerations: " + pod.getSpec().getTolerations());
        assertNull(pod.getSpec().getHostUsers(), "no user namespace on the test bed");
    }

    @Test
    void rootStillOwnsTheSandbox() {
        Map<?, ?> owned = exec(id, "touch /workspace/x && chown nobody /workspace/x && stat -c %U /workspace/x"
                + " && chmod 600 /workspace/x && cat /workspace/x && id -u && id -un");
        assertEquals(Map.of("exit_code", 0, "stdout", "nobody\n0\nroot\n", "stderr", ""), owned,
                "CHOWN, FOWNER and DAC_OVERRIDE: root gives files away and still reads them");
        Map<?, ?> dropped = exec(id, "setpriv --reuid=65534 --regid=65534 --clear-groups id -u");
        assertEquals(Map.of("exit_code", 0, "stdout", "65534\n", "stderr", ""), dropped, "SETUID, SETGID: dropping privileges");
        // su goes through PAM, whose audit record the kernel refuses as root without AUDIT_WRITE.
        Map<?, ?> su = exec(id, "su nobody -s /bin/sh -c 'id -u'");
        assertEquals(Map.of("exit_code", 0, "stdout", "65534\n", "stderr", ""), su, "AUDIT_WRITE: PAM's su works for root");
    }

    @Test
    void aWorkspaceWrittenPastItsLimitGetsThePodEvicted() throws Exception {
        String full = (String) api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", "hardened"))).map().get("id");
        ClusterTestNamespace.waitFor(api, full, r -> "running".equals(r.map().get("status")));
        Map<?, ?> written = exec(full, "dd if=/dev/zero of=/workspace/big bs=1M count=64 2>&1 && sync");
        assertEquals(0, written.get("exit_code"), "an emptyDir is plain disk: the write succeeds, the kubelet acts later; "
                + written);

        Map<?, ?> failed = ClusterTestNamespace.waitFor(api, full, r -> "failed".equals(r.map().get("status")), EVICTION);
        String reason = String.valueOf(failed.get("status_reason"));
        assertTrue(reason.startsWith("evicted: ") && reason.contains("workspace"), reason);
        V1Pod pod = core.readNamespacedPod(SandboxContract.podName(full), NAMESPACE).execute();
        assertEquals("Evicted", pod.getStatus().getReason(), String.valueOf(pod.getStatus()));
        assertEquals("running", ClusterTestNamespace.waitFor(api, id, r -> true).get("status"),
                "the other sandbox is untouched");
    }
}
