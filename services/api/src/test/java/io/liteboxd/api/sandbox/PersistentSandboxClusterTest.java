package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.auth.Secrets;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Persistent sandboxes on the test-bed cluster, driven over HTTP as upstream's SDK and CLI call
 * them (POST …/stop|start|restart, body ignored): the root filesystem (files in /root, /etc,
 * /usr/local, /var/lib, /workspace) survives stop/start, restart and a pod deleted by hand,
 * without any privileged container; reclaim Delete removes the claim with the sandbox, Retain
 * keeps it. The test bed has no network and no .deb to install, so the "installed package" is an
 * executable written to /usr/local/bin plus its state under /var/lib, which is what a package
 * install leaves behind.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class PersistentSandboxClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();
    /** Seeding copies the image's /usr to the claim once: the first start takes longer. */
    static final Duration FIRST_START = Duration.ofSeconds(240);
    static final String WRITE = "echo root-file > /root/r && echo etc-file > /etc/x && echo ws-file > /workspace/z"
            + " && printf '#!/bin/sh\\necho installed-tool\\n' > /usr/local/bin/y && chmod +x /usr/local/bin/y"
            + " && mkdir -p /var/lib/fakepkg && echo 1.0 > /var/lib/fakepkg/version";
    static final String READ = "cat /root/r /etc/x /workspace/z /var/lib/fakepkg/version && y";
    static final String EXPECTED = "root-file\netc-file\nws-file\n1.0\ninstalled-tool\n";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    CoreV1Api core;

    @Inject
    AppsV1Api apps;

    @Inject
    SandboxRepository sandboxes;

    ApiClient api;

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @BeforeAll
    void templates() throws Exception {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        template("keep", Map.of("enabled", true, "size", "1Gi"), Map.of(
                "files", List.of(Map.of("destination", "/workspace/conf/hello.txt", "content", "hi there")),
                "startupScript", "echo started >> /root/starts"));
        template("keep-retain", Map.of("enabled", true, "size", "1Gi", "storageClassName", "local-path",
                "reclaimPolicy", "Retain"), Map.of());
        template("plain", null, Map.of());
    }

    void template(String name, Map<String, Object> persistence, Map<String, Object> extra) {
        Map<String, Object> spec = new HashMap<>(Map.of("image", SANDBOX_IMAGE, "command", List.of("sleep", "infinity"),
                "ttl", 600));
        spec.putAll(extra);
        if (persistence != null) {
            spec.put("persistence", persistence);
        }
        Reply reply = api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", name, "spec", spec)));
        assertEquals(HttpStatus.CREATED, reply.status(), String.valueOf(reply.body()));
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    @Test
    void theRootFilesystemSurvivesStopStartRestartAndALostPod() throws Exception {
        Reply created = api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", "keep")));
        assertEquals(HttpStatus.CREATED, created.status(), String.valueOf(created.body()));
        String id = (String) created.map().get("id");
        assertEquals("pending", created.map().get("lifecycle_status"), "upstream's 201 shows pending for persistent");
        assertEquals("deployment", created.map().get("runtimeKind"));
        assertEquals(SandboxContract.deploymentName(id), created.map().get("runtimeName"));
        Map<?, ?> persistence = (Map<?, ?>) created.map().get("persistence");
        assertEquals(Map.of("enabled", true, "mode", "rootfs-overlay", "size", "1Gi", "reclaimPolicy", "Delete",
                "volumeClaimName", SandboxContract.claimName(id)), persistence);
        String token = (String) created.map().get("accessToken");

        Map<?, ?> running = waitFor(id, r -> "running".equals(r.map().get("status")), FIRST_START);
        String firstPod = (String) running.get("pod_ip");
        assertNotNull(firstPod);

        V1Deployment deployment = apps.readNamespacedDeployment(SandboxContract.deploymentName(id), NAMESPACE).execute();
        assertFalse(io.kubernetes.client.openapi.JSON.serialize(deployment).contains(token),
                "the plaintext token is on no Kubernetes object");
        assertEquals(Secrets.sha256Hex(token), deployment.getMetadata().getAnnotations()
                .get(SandboxContract.TOKEN_SHA256_ANNOTATION));
        assertEquals(running.get("expires_at"), deployment.getMetadata().getAnnotations()
                .get(SandboxContract.EXPIRES_AT_ANNOTATION));
        assertEquals(Map.of(SandboxContract.TOKEN_SHA256_ANNOTATION, Secrets.sha256Hex(token)),
                deployment.getSpec().getTemplate().getMetadata().getAnnotations(),
                "the pod template carries nothing that changes (a change would roll the Deployment)");
        assertEquals("true", deployment.getMetadata().getLabels().get(SandboxContract.PERSISTENT_LABEL));
        var owner = claim(id).orElseThrow().getMetadata().getOwnerReferences();
        assertEquals(List.of("Deployment/" + deployment.getMetadata().getUid()),
                owner.stream().map(o -> o.getKind() + "/" + o.getUid()).toList(), "reclaim Delete: owned by the Deployment");
        V1Pod pod = onlyPod(id);
        assertNothingPrivileged(pod);

        // The reconciler compares the row with the Deployment and its pod, and repairs a drift.
        sandboxes.setStatus(id, "pending", "drifted by the test", io.liteboxd.api.storage.TimeText.format(
                java.time.Instant.now()));
        assertEquals(List.of("status_mismatch"), reconcileItems(id));
        assertEquals("running", api.send(HttpRequest.GET("/api/v1/sandboxes/" + id)).map().get("status"));

        assertEquals("", exec(id, WRITE).get("stdout"));
        assertEquals(EXPECTED, exec(id, READ).get("stdout"));

        // Stop: 200, the pod goes, the claim stays; a second stop and a restart are 409. The three
        // calls carry what clients send, all ignored: an empty octet-stream body (aiohttp), no body
        // at all (httpx, Go's net/http: start), JSON (restart).
        Reply stop = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/stop", "")
                .contentType(MediaType.APPLICATION_OCTET_STREAM_TYPE));
        assertEquals(HttpStatus.OK, stop.status(), String.valueOf(stop.body()));
        assertEquals(Map.of("message", "stop requested"), stop.body());
        Map<?, ?> stopped = waitFor(id, r -> "stopped".equals(r.map().get("status")), WAIT);
        assertEquals("stopped by request", stopped.get("status_reason"));
        assertConflict(id, "stop", "sandbox is already stopped");
        assertConflict(id, "restart", "sandbox is terminating or deleted");
        Await.until(WAIT, "the stopped sandbox's pod goes", () -> pods(id).isEmpty());
        assertEquals(0, apps.readNamespacedDeployment(SandboxContract.deploymentName(id), NAMESPACE).execute()
                .getSpec().getReplicas());
        assertNotNull(claim(id).orElse(null), "stopping keeps the claim");
        assertEquals(List.of(), reconcileItems(id), "a stopped sandbox without a pod is no drift");
        assertEquals("stopped", api.send(HttpRequest.GET("/api/v1/sandboxes/" + id)).map().get("status"));
        assertEquals(HttpStatus.CONFLICT, api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/exec",
                Map.of("command", List.of("true")))).status(), "a stopped sandbox has nothing to exec in");

        // Start: the expiry moves by the time spent stopped, the files are all there.
        Reply start = api.send(HttpRequest.create(io.micronaut.http.HttpMethod.POST, "/api/v1/sandboxes/" + id + "/start"));
        assertEquals(Map.of("message", "start requested"), start.body());
        assertConflict(id, "start", "sandbox is not stopped");
        Map<?, ?> restarted = waitFor(id, r -> "running".equals(r.map().get("status")), WAIT);
        assertTrue(String.valueOf(restarted.get("expires_at")).compareTo(String.valueOf(running.get("expires_at"))) > 0,
                "the TTL paused while stopped: " + restarted.get("expires_at") + " vs " + running.get("expires_at"));
        assertEquals(EXPECTED, exec(id, READ).get("stdout"));

        // Restart: a new pod, the same files.
        String beforeRestart = onlyPod(id).getMetadata().getUid();
        Reply restart = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/restart", Map.of()));
        assertEquals(Map.of("message", "restart requested"), restart.body());
        waitForNewRunningPod(id, beforeRestart);
        assertEquals(EXPECTED, exec(id, READ).get("stdout"));

        // A pod deleted by hand is a restart, not the sandbox's end.
        V1Pod lost = onlyPod(id);
        core.deleteNamespacedPod(lost.getMetadata().getName(), NAMESPACE).execute();
        waitForNewRunningPod(id, lost.getMetadata().getUid());
        assertEquals(EXPECTED, exec(id, READ).get("stdout"));
        assertNothingPrivileged(onlyPod(id));

        // The template's files and startup script ran before the command at each of the four starts
        // (create, start, restart, the lost pod), and what the script appended to /root was kept.
        assertEquals("4\nhi there", exec(id, "wc -l < /root/starts && cat /workspace/conf/hello.txt").get("stdout"));

        // A start right after a stop (an SDK's stop(); start()) waits for the stopped pod to exit:
        // its ReplicaSet would otherwise run the new pod beside the terminating one on the same claim.
        assertEquals(HttpStatus.OK, api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/stop", Map.of())).status());
        Reply quickStart = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/start", Map.of()));
        assertEquals(HttpStatus.OK, quickStart.status(), String.valueOf(quickStart.body()));
        assertEquals(List.of(), pods(id).stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null)
                .map(p -> p.getMetadata().getName()).toList(), "no pod of the stop is left when start returns");
        waitFor(id, r -> "running".equals(r.map().get("status")), WAIT);
        assertEquals(EXPECTED, exec(id, READ).get("stdout"));

        Map<?, ?> logs = api.send(HttpRequest.GET("/api/v1/sandboxes/" + id + "/logs")).map();
        List<?> events = (List<?>) logs.get("events");
        assertTrue(events.stream().anyMatch(e -> String.valueOf(e).startsWith("[Deployment][")), String.valueOf(events));
        assertTrue(events.stream().anyMatch(e -> String.valueOf(e).startsWith("[Pod][")), String.valueOf(events));
        assertTrue(events.stream().anyMatch(e -> String.valueOf(e).startsWith("[PVC][")), String.valueOf(events));

        List<?> pvcs = (List<?>) api.send(HttpRequest.GET("/api/v1/sandboxes/pvcs?sandbox_id=" + id)).map().get("items");
        assertEquals(1, pvcs.size(), String.valueOf(pvcs));
        assertEquals("bound", ((Map<?, ?>) pvcs.get(0)).get("state"));

        // Delete: the Deployment, its pods and (reclaim Delete) the claim go.
        assertEquals(HttpStatus.ACCEPTED, api.send(HttpRequest.DELETE("/api/v1/sandboxes/" + id)).status());
        waitFor(id, r -> r.status() == HttpStatus.NOT_FOUND, WAIT);
        Await.until(WAIT, "the claim goes with the Deployment", () -> claim(id).isEmpty());
        assertTrue(pods(id).isEmpty() || pods(id).stream().allMatch(p -> p.getMetadata().getDeletionTimestamp() != null));

        List<String> transitions = ((List<?>) api.send(HttpRequest.GET("/api/v1/sandboxes/" + id + "/status-history"))
                .map().get("items")).stream().map(Map.class::cast)
                .map(h -> h.get("from_status") + ">" + h.get("to_status") + ":" + h.get("reason")).toList().reversed();
        for (String expected : List.of(">creating:create requested", "creating>pending:deployment created",
                "running>stopped:stopped by request", "stopped>pending:start requested",
                "running>pending:restart requested", "terminating>deleted:delete completed")) {
            assertTrue(transitions.contains(expected), expected + " in " + transitions);
        }
        assertFalse(transitions.stream().anyMatch(t -> t.contains(">deleted:") && !t.endsWith("delete completed")),
                "only the Deployment's deletion deletes the sandbox: " + transitions);
    }

    @Test
    void retainKeepsTheClaimAndOverridesReachTheObjects() throws Exception {
        Reply created = api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", "keep-retain",
                "overrides", Map.of("persistence", Map.of("size", "2Gi"), "idleTimeout", 300))));
        assertEquals(HttpStatus.CREATED, created.status(), String.valueOf(created.body()));
        String id = (String) created.map().get("id");
        V1Deployment deployment = apps.readNamespacedDeployment(SandboxContract.deploymentName(id), NAMESPACE).execute();
        assertEquals("300", deployment.getMetadata().getAnnotations().get(SandboxContract.IDLE_TIMEOUT_ANNOTATION));
        V1PersistentVolumeClaim claim = claim(id).orElseThrow();
        assertEquals("2Gi", claim.getSpec().getResources().getRequests().get("storage").toSuffixedString());
        assertEquals("local-path", claim.getSpec().getStorageClassName());
        assertTrue(claim.getMetadata().getOwnerReferences() == null || claim.getMetadata().getOwnerReferences().isEmpty(),
                "a Retain claim has no owner");
        assertEquals("Retain", claim.getMetadata().getAnnotations().get(SandboxContract.RECLAIM_POLICY_ANNOTATION));

        waitFor(id, r -> "running".equals(r.map().get("status")), FIRST_START);
        assertEquals("", exec(id, "echo kept > /root/kept").get("stdout"));
        assertEquals(HttpStatus.ACCEPTED, api.send(HttpRequest.DELETE("/api/v1/sandboxes/" + id)).status());
        waitFor(id, r -> r.status() == HttpStatus.NOT_FOUND, WAIT);
        Await.until(WAIT, "the Deployment is gone", () -> pods(id).isEmpty());
        V1PersistentVolumeClaim kept = claim(id).orElseThrow();
        assertNull(kept.getMetadata().getDeletionTimestamp(), "Retain: nobody deletes the claim");
        Map<?, ?> item = (Map<?, ?>) ((List<?>) api.send(HttpRequest.GET("/api/v1/sandboxes/pvcs?sandbox_id=" + id))
                .map().get("items")).get(0);
        assertEquals(SandboxContract.claimName(id), item.get("pvcName"));
        assertEquals("Retain", item.get("reclaimPolicy"));
        assertEquals("bound", item.get("state"));
        core.deleteNamespacedPersistentVolumeClaim(SandboxContract.claimName(id), NAMESPACE).execute();
    }

    @Test
    void stopStartAndRestartOfAnEphemeralSandboxAre400s() throws Exception {
        Reply created = api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", "plain")));
        String id = (String) created.map().get("id");
        for (String action : List.of("stop", "start", "restart")) {
            Reply refused = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/" + action, Map.of()));
            assertEquals(HttpStatus.BAD_REQUEST, refused.status());
            assertEquals(Map.of("error", "sandbox " + action + " is only supported for persistence-enabled sandboxes"),
                    refused.body());
            Reply unknown = api.send(HttpRequest.POST("/api/v1/sandboxes/00000000/" + action, Map.of()));
            assertEquals(HttpStatus.NOT_FOUND, unknown.status());
            assertEquals(Map.of("error", "sandbox not found"), unknown.body());
        }
        long before = core.listNamespacedPod(NAMESPACE).execute().getItems().size();
        long deployments = apps.listNamespacedDeployment(NAMESPACE).execute().getItems().size();
        Reply idle = api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", "plain",
                "overrides", Map.of("idleTimeout", 60))));
        assertEquals(HttpStatus.BAD_REQUEST, idle.status());
        assertEquals(Map.of("error", "overrides.idleTimeout is only supported for persistence-enabled templates"),
                idle.body());
        Reply size = api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", "keep",
                "overrides", Map.of("persistence", Map.of("size", "lots")))));
        assertEquals(Map.of("error", "invalid overrides.persistence.size: lots"), size.body());
        assertEquals(before, core.listNamespacedPod(NAMESPACE).execute().getItems().size(), "bad input creates nothing");
        assertEquals(deployments, apps.listNamespacedDeployment(NAMESPACE).execute().getItems().size());
        api.send(HttpRequest.DELETE("/api/v1/sandboxes/" + id));
    }

    /** No container is privileged or may escalate, and none adds a capability main does not have. */
    static void assertNothingPrivileged(V1Pod pod) {
        V1Container main = pod.getSpec().getContainers().stream()
                .filter(c -> SandboxContract.MAIN_CONTAINER.equals(c.getName())).findFirst().orElseThrow();
        Set<String> mainAdds = adds(main.getSecurityContext());
        assertEquals(List.of("ALL"), main.getSecurityContext().getCapabilities().getDrop());
        List<V1Container> all = new java.util.ArrayList<>(pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        assertTrue(Set.of("main", "rootfs-seed", "launcher").containsAll(all.stream().map(V1Container::getName).toList()),
                "main, rootfs-seed and at most the launcher: " + all.stream().map(V1Container::getName).toList());
        for (V1Container container : all) {
            V1SecurityContext context = container.getSecurityContext();
            assertNotNull(context, container.getName());
            assertNotEquals(Boolean.TRUE, context.getPrivileged(), container.getName() + " is privileged");
            assertEquals(Boolean.FALSE, context.getAllowPrivilegeEscalation(), container.getName());
            assertTrue(mainAdds.containsAll(adds(context)), container.getName() + " adds more than main");
        }
        assertNotEquals(Boolean.TRUE, pod.getSpec().getHostPID());
        assertNotEquals(Boolean.TRUE, pod.getSpec().getShareProcessNamespace());
        assertEquals(Boolean.FALSE, pod.getSpec().getAutomountServiceAccountToken());
    }

    static Set<String> adds(V1SecurityContext context) {
        return context == null || context.getCapabilities() == null || context.getCapabilities().getAdd() == null
                ? Set.of() : Set.copyOf(context.getCapabilities().getAdd());
    }

    Map<?, ?> exec(String id, String script) {
        Reply reply = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/exec",
                Map.of("command", List.of("sh", "-c", script))));
        assertEquals(HttpStatus.OK, reply.status(), String.valueOf(reply.body()));
        assertEquals(0, reply.map().get("exit_code"), String.valueOf(reply.body()));
        return reply.map();
    }

    /** Runs the reconciler by hand and returns the drift types it found for the sandbox. */
    List<String> reconcileItems(String id) {
        Reply run = api.send(HttpRequest.POST("/api/v1/sandboxes/reconcile", Map.of()));
        assertEquals(HttpStatus.ACCEPTED, run.status(), String.valueOf(run.body()));
        return ((List<?>) run.map().get("items")).stream().map(Map.class::cast)
                .filter(item -> id.equals(item.get("sandbox_id"))).map(item -> String.valueOf(item.get("drift_type")))
                .toList();
    }

    void assertConflict(String id, String action, String message) {
        Reply reply = api.send(HttpRequest.POST("/api/v1/sandboxes/" + id + "/" + action, Map.of()));
        assertEquals(HttpStatus.CONFLICT, reply.status(), String.valueOf(reply.body()));
        assertEquals(Map.of("error", message), reply.body());
    }

    Map<?, ?> waitFor(String id, Predicate<Reply> done, Duration timeout) throws Exception {
        return ClusterTestNamespace.waitFor(api, id, done, timeout);
    }

    /** Waits until the sandbox runs in a pod other than {@code oldUid} (the row shows the new one). */
    void waitForNewRunningPod(String id, String oldUid) throws Exception {
        waitFor(id, r -> "running".equals(r.map().get("status")), WAIT);
        Await.until(WAIT, "sandbox " + id + " runs in a new pod", () -> {
            List<V1Pod> live = pods(id).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
            return live.size() == 1 && !live.get(0).getMetadata().getUid().equals(oldUid)
                    && "running".equals(api.send(HttpRequest.GET("/api/v1/sandboxes/" + id)).map().get("status"));
        });
    }

    List<V1Pod> pods(String id) throws Exception {
        return core.listNamespacedPod(NAMESPACE).labelSelector("sandbox-id=" + id).execute().getItems();
    }

    V1Pod onlyPod(String id) throws Exception {
        List<V1Pod> live = pods(id).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        assertEquals(1, live.size(), String.valueOf(live.stream().map(p -> p.getMetadata().getName()).toList()));
        return live.get(0);
    }

    Optional<V1PersistentVolumeClaim> claim(String id) throws Exception {
        return core.listNamespacedPersistentVolumeClaim(NAMESPACE).execute().getItems().stream()
                .filter(c -> SandboxContract.claimName(id).equals(c.getMetadata().getName())).findFirst();
    }
}
