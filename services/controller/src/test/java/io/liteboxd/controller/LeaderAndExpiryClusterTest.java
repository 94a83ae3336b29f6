package io.liteboxd.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.util.Config;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.kubernetes.TolerantModelJson;
import io.liteboxd.common.testing.Await;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Two (then three) real controller processes on the test-bed cluster: exactly one leads and
 * expires sandboxes at their TTL, each pod deleted once (counted in the API server's audit
 * log); when the leader is killed the standby takes over after the lease expires; when the
 * leader is stopped with SIGTERM it releases the lease and the standby takes over at once.
 * Times are bounds for correctness ("event-driven, not a periodic scan"); bench/ has figures.
 */
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class LeaderAndExpiryClusterTest {

    static final Duration LEASE = Duration.ofSeconds(8);
    static final Path AUDIT_LOG = Path.of("/var/lib/liteboxd-testbed/log/audit.log");

    final String namespace = "lbx-ctl-" + UUID.randomUUID().toString().substring(0, 6);
    final Map<String, Process> controllers = new HashMap<>();
    final Map<String, Path> outputs = new HashMap<>();
    final Map<String, Integer> ports = new HashMap<>();
    CoreV1Api core;
    CoordinationV1Api coordination;

    @Test
    void oneLeaderExpiresEachSandboxOnceAndHandsOver() throws Exception {
        TolerantModelJson.install();
        ApiClient client = Config.defaultClient();
        core = new CoreV1Api(client);
        coordination = new CoordinationV1Api(client);
        core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace)
                .labels(Map.of("pod-security.kubernetes.io/enforce", "baseline")))).execute();
        start("ctl-a");
        start("ctl-b");
        String leader = Await.until(Duration.ofSeconds(60), "a controller leads", this::holder, h -> !h.isEmpty());
        String standby = leader.equals("ctl-a") ? "ctl-b" : "ctl-a";
        for (String id : List.of("ctl-a", "ctl-b")) {
            assertEquals(200, readyz(id), "leader and standby are both ready");
        }

        // 20 sandboxes expiring together, 5 s from now.
        Instant expiresAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(5);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String id = String.format("e%07d", i);
            names.add(SandboxContract.podName(id));
            core.createNamespacedPod(namespace, pod(id, expiresAt)).execute();
        }
        // When each pod was first seen deleted (terminating or gone), noted on every poll.
        Map<String, Instant> deleted = new HashMap<>();
        Await.until(Duration.between(Instant.now(), expiresAt.plusSeconds(60)), "every sandbox expired", () -> {
            for (V1Pod pod : core.listNamespacedPod(namespace).execute().getItems()) {
                if (pod.getMetadata().getDeletionTimestamp() != null) {
                    deleted.putIfAbsent(pod.getMetadata().getName(), Instant.now());
                }
            }
            for (String name : names) {
                if (!deleted.containsKey(name) && core.listNamespacedPod(namespace).fieldSelector("metadata.name=" + name)
                        .execute().getItems().isEmpty()) {
                    deleted.put(name, Instant.now());
                }
            }
            return deleted.size() == names.size();
        });
        Duration latest = deleted.values().stream().map(at -> Duration.between(expiresAt, at)).max(Duration::compareTo)
                .orElseThrow();
        assertTrue(latest.compareTo(Duration.ofSeconds(10)) < 0, "expired at the TTL, not on a scan: " + latest);
        assertTrue(deleted.values().stream().noneMatch(at -> at.isBefore(expiresAt)), "nothing expired early");
        Await.until(Duration.ofSeconds(10), "the audit log shows every sandbox's delete",
                () -> countPodDeletes() >= names.size());
        // A deliberate interval, not a wait for a condition: time for a second delete of a pod (by
        // the standby, or a retry) to reach the audit log, so that "exactly once" means something.
        Thread.sleep(2000);
        assertEquals(names.size(), countPodDeletes(), "each sandbox deleted exactly once, by one controller");
        assertEquals(20, count(leader, "\"expired "), "the leader expired them all");
        assertEquals(0, count(standby, "\"expired "), "the standby did nothing");

        // The leader dies without a word: the standby takes over once the lease has expired.
        controllers.get(leader).destroyForcibly().waitFor();
        Instant killed = Instant.now();
        Await.until(LEASE.multipliedBy(3), "the standby takes over", () -> standby.equals(holder()));
        Duration failover = Duration.between(killed, Instant.now());
        assertTrue(failover.compareTo(LEASE.multipliedBy(2)) < 0, "failover took " + failover);

        // A new standby; then the leader is stopped properly and hands over at once.
        start("ctl-c");
        assertEquals(200, readyz("ctl-c"));
        controllers.get(standby).destroy(); // SIGTERM
        Instant stopped = Instant.now();
        Await.until(LEASE.multipliedBy(3), "ctl-c takes over", () -> "ctl-c".equals(holder()));
        Duration handover = Duration.between(stopped, Instant.now());
        assertTrue(handover.compareTo(LEASE) < 0, "a released lease is taken before it could expire: " + handover);
        assertTrue(controllers.get(standby).waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, controllers.get(standby).exitValue(), Files.readString(outputs.get(standby)));
    }

    @AfterEach
    void stopEverything() throws Exception {
        controllers.values().forEach(Process::destroyForcibly);
        if (core != null) {
            core.deleteNamespace(namespace).execute();
        }
    }

    private void start(String identity) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path output = Files.createTempFile(identity, ".out");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dmicronaut.server.port=" + port,
                "-Dlogback.configurationFile=logback.xml",
                "-Dliteboxd.controller.identity=" + identity,
                "-Dliteboxd.controller.sandbox-namespace=" + namespace,
                "-Dliteboxd.controller.control-namespace=" + namespace,
                "-Dliteboxd.controller.lease-duration=" + LEASE.toSeconds() + "s",
                "-Dliteboxd.controller.renew-deadline=" + (LEASE.toSeconds() - 2) + "s",
                "-Dliteboxd.controller.retry-period=1s",
                ControllerApplication.class.getName()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        controllers.put(identity, process);
        outputs.put(identity, output);
        ports.put(identity, port);
        Await.until(Duration.ofSeconds(60), identity + " is ready", () -> readyz(identity) == 200);
    }

    private int readyz(String identity) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + ports.get(identity) + "/readyz")).build(),
                    BodyHandlers.discarding()).statusCode();
        } catch (Exception notUpYet) {
            return -1;
        }
    }

    private String holder() {
        try {
            var spec = coordination.readNamespacedLease("liteboxd-controller", namespace).execute().getSpec();
            return spec == null || spec.getHolderIdentity() == null ? "" : spec.getHolderIdentity();
        } catch (io.kubernetes.client.openapi.ApiException e) {
            return "";
        }
    }

    private V1Pod pod(String id, Instant expiresAt) {
        return new V1Pod()
                .metadata(new V1ObjectMeta().name(SandboxContract.podName(id))
                        .labels(Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE,
                                SandboxContract.SANDBOX_ID_LABEL, id))
                        .annotations(Map.of(SandboxContract.EXPIRES_AT_ANNOTATION, expiresAt.toString())))
                // overhead(null): client-java would send an empty map, which admission rejects.
                .spec(new V1PodSpec().overhead(null).automountServiceAccountToken(false)
                        .terminationGracePeriodSeconds(1L)
                        .containers(List.of(new V1Container().name(SandboxContract.MAIN_CONTAINER)
                                .image(System.getenv().getOrDefault("LBX_SANDBOX_IMAGE",
                                        "127.0.0.1:5000/liteboxd/sandbox:bookworm-1"))
                                .command(List.of("sleep", "infinity")))));
    }

    /** DELETE requests for this namespace's sandbox pods in the API server's audit log. */
    /**
     * DELETEs of pods in the test namespace by anyone but a kubelet: once a pod's containers have
     * stopped, its kubelet deletes the object for good (system:node:*), which follows every
     * graceful deletion and is not a second one.
     */
    private long countPodDeletes() throws Exception {
        String marker = "\"namespace\":\"" + namespace + "\"";
        try (var lines = Files.lines(AUDIT_LOG)) {
            return lines.filter(l -> l.contains("\"verb\":\"delete\"") && l.contains("\"resource\":\"pods\"")
                            && l.contains(marker) && l.contains("\"stage\":\"ResponseComplete\"")
                            && !l.contains("\"username\":\"system:node:"))
                    .count();
        }
    }

    private long count(String identity, String text) throws Exception {
        try (var lines = Files.lines(outputs.get(identity))) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }
}
