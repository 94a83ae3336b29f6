package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * What the event stream cannot fix on its own, on the test-bed cluster: the reconciler repairing
 * drift (rows whose pods vanished while no API watched, a pod without a row, a row behind its
 * pod), a startup failure on the pod (the controller's verdict at the startup deadline) failing
 * the sandbox for good, a delete whose pod is already gone, and the PVC mapping.
 */
@MicronautTest(transactional = false)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class SandboxRepairClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();
    static final String IMAGE = System.getenv().getOrDefault("LBX_SANDBOX_IMAGE",
            "127.0.0.1:5000/liteboxd/sandbox:bookworm-1");

    @Inject
    @Client("/")
    HttpClient http;

    static final String INTERNAL_TOKEN = "internal-" + System.nanoTime();

    @Inject
    CoreV1Api core;

    @Inject
    SandboxRepository sandboxes;

    @Inject
    StatusHistoryRepository history;

    @Inject
    SandboxPodCache podCache;

    @Inject
    AnnotationPatcher annotations;

    ApiClient api;

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Map<String, String> clusterProperties() {
        // The API runs no pass by itself: every run in this class is one the test triggers, through
        // the public route or, as the controller does, through the internal one.
        return Map.of("liteboxd.reconcile.lost-after", "1m", "liteboxd.internal.token", INTERNAL_TOKEN);
    }

    @BeforeAll
    void setUp() {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        Reply template = api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "sleeper", "spec",
                Map.of("image", IMAGE, "command", List.of("sleep", "infinity")))));
        assertEquals(HttpStatus.CREATED, template.status(), String.valueOf(template.body()));
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    @Test
    @Order(1) // before the other tests plant rows of their own
    void reconcileRepairsWhatTheWatchMissed() throws Exception {
        startupRunAsTheControllerAsksForIt();
        Instant longAgo = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        // A running sandbox whose pod vanished an hour ago, unseen: lost.
        sandboxes.save(SandboxRows.Shape.of("10570001", "active", "running", longAgo).in(NAMESPACE).row());
        // A fresh row whose pod is not there yet: reported, left alone.
        sandboxes.save(SandboxRows.Shape.of("f7e50001", "active", "creating", Instant.now()).in(NAMESPACE).row());
        // A deletion whose end nobody saw: finished.
        sandboxes.save(SandboxRows.Shape.of("de1e0001", "deleted", "terminating", longAgo).in(NAMESPACE).row());
        // A pod without a row: only reported (removing it is the controller's job).
        core.createNamespacedPod(NAMESPACE, new V1Pod()
                .metadata(new V1ObjectMeta().name("sandbox-0ff0ff01").labels(Map.of(
                        SandboxContract.APP_LABEL, SandboxContract.APP_VALUE, SandboxContract.SANDBOX_ID_LABEL, "0ff0ff01")))
                // overhead(null): client-java would send an empty map, which admission rejects.
                .spec(new V1PodSpec().overhead(null).automountServiceAccountToken(false).terminationGracePeriodSeconds(0L)
                        .containers(List.of(new V1Container().name("main").image(IMAGE)
                                .command(List.of("sleep", "infinity")))))).execute();
        // A real sandbox whose row fell behind its pod.
        Reply created = api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", "sleeper")));
        String behind = (String) created.map().get("id");
        ClusterTestNamespace.waitFor(api, behind, r -> "running".equals(r.map().get("status")));
        sandboxes.setStatus(behind, "pending", "", "2020-01-01T00:00:00.000000Z");
        waitUntilCached("0ff0ff01");

        Reply run = api.send(HttpRequest.POST("/api/v1/sandboxes/reconcile", Map.of()));
        assertEquals(HttpStatus.ACCEPTED, run.status(), String.valueOf(run.body()));
        Map<?, ?> summary = (Map<?, ?>) run.map().get("run");
        String runId = (String) summary.get("id");
        assertTrue(runId.matches("rec-[0-9a-f]{8}"), runId);
        assertEquals("manual", summary.get("trigger_type"));
        assertEquals("completed", summary.get("status"));
        assertFalse(summary.containsKey("error"), "error is left out when empty");
        assertEquals(3, ((Number) summary.get("fixed_count")).intValue(), summary.toString());
        assertEquals(Set.of(
                        "10570001 missing_in_k8s mark_lost",
                        "f7e50001 missing_in_k8s none",
                        "de1e0001 status_mismatch mark_deleted",
                        "0ff0ff01 missing_in_db alert_only",
                        behind + " status_mismatch none"),
                items(run.map()));

        assertEquals("lost", sandboxes.findById("10570001").orElseThrow().lifecycleStatus());
        assertEquals("deleted", sandboxes.findById("de1e0001").orElseThrow().lifecycleStatus());
        assertEquals("running", sandboxes.findById(behind).orElseThrow().lifecycleStatus());
        assertEquals(List.of("reconcile running>lost reconcile: pod missing beyond grace period"),
                history.page("10570001", 0, 10).stream()
                        .map(h -> h.source() + " " + h.fromStatus() + ">" + h.toStatus() + " " + h.reason()).toList());

        // Repairs are not repeated: a second pass finds only what it cannot fix.
        Reply again = api.send(HttpRequest.POST("/api/v1/sandboxes/reconcile", Map.of()));
        assertEquals(Set.of("f7e50001 missing_in_k8s none", "0ff0ff01 missing_in_db alert_only"), items(again.map()));

        Reply detail = api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs/" + runId));
        assertEquals(HttpStatus.OK, detail.status());
        assertEquals(items(run.map()), items(detail.map()));
        List<?> runs = (List<?>) api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs?limit=50")).map().get("items");
        List<String> triggers = runs.stream().map(Map.class::cast).map(r -> (String) r.get("trigger_type")).toList();
        assertEquals(List.of("manual", "manual"), triggers.subList(0, 2), "newest first");
        assertTrue(triggers.contains("startup"), "the controller's startup pass is on record: " + triggers);
        assertEquals(1, ((List<?>) api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs?limit=1")).map()
                .get("items")).size());
        Reply unknown = api.send(HttpRequest.GET("/api/v1/sandboxes/reconcile/runs/rec-00000000"));
        assertEquals(HttpStatus.NOT_FOUND, unknown.status());
        assertEquals(Map.of("error", "reconcile run not found"), unknown.body());
    }

    @Test
    void aDeleteWhosePodIsAlreadyGoneAnswersTerminatingAndFinishes() {
        // Nothing will report this deletion (no pod), so the delete finishes it itself; its answer is
        // still what the request did, as upstream answers: terminating.
        sandboxes.save(SandboxRows.Shape.of("90e90e01", "active", "running", Instant.now()).in(NAMESPACE).row());
        Reply deleted = api.send(HttpRequest.DELETE("/api/v1/sandboxes/90e90e01"));
        assertEquals(HttpStatus.ACCEPTED, deleted.status(), String.valueOf(deleted.body()));
        assertEquals("terminating", deleted.map().get("status"));
        assertEquals("deleted", sandboxes.findById("90e90e01").orElseThrow().lifecycleStatus());
        assertEquals(List.of("running>terminating", "terminating>deleted"), history.page("90e90e01", 0, 10).stream()
                .map(h -> h.fromStatus() + ">" + h.toStatus()).toList().reversed());
    }

    /**
     * The controller writes {@code liteboxd.io/startup-failed} when the startup deadline passes
     * (services/controller StartupDeadlineClusterTest); no controller runs here, so the test
     * writes it as the controller does, and the API's part is to turn it into {@code failed}.
     */
    @Test
    void aStartupFailureOnThePodFailsTheSandbox() throws Exception {
        Reply template = api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "never-ready", "spec", Map.of(
                "image", IMAGE, "command", List.of("sleep", "infinity"), "startupTimeout", 3,
                "readinessProbe", Map.of("exec", Map.of("command", List.of("false")), "periodSeconds", 1)))));
        assertEquals(HttpStatus.CREATED, template.status(), String.valueOf(template.body()));
        String id = (String) api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", "never-ready")))
                .map().get("id");
        V1Pod pod = core.readNamespacedPod(SandboxContract.podName(id), NAMESPACE).execute();
        assertTrue(pod.getMetadata().getAnnotations().containsKey(SandboxContract.STARTUP_DEADLINE_ANNOTATION),
                "the API puts the deadline on the pod for the controller");
        annotations.pod(NAMESPACE, SandboxContract.podName(id),
                Map.of(SandboxContract.STARTUP_FAILED_ANNOTATION, "startup timed out: readiness probe not passing"));

        Map<?, ?> failed = ClusterTestNamespace.waitFor(api, id, r -> "failed".equals(r.map().get("status")));
        assertEquals("startup timed out: readiness probe not passing", failed.get("status_reason"));
        List<String> transitions = history.page(id, 0, 10).stream()
                .map(h -> h.fromStatus() + ">" + h.toStatus()).toList().reversed();
        assertEquals(List.of(">creating", "creating>pending", "pending>failed"), transitions);
    }

    @Test
    void pvcMappingJoinsRowsAndClaims() throws Exception {
        createClaim("ws-bound", "b0b0b0b0");
        createClaim("ws-orphan", null);
        sandboxes.save(SandboxRows.Shape.of("b0b0b0b0", "active", "running", Instant.now()).in(NAMESPACE)
                .claim("ws-bound", "Retain").row());
        sandboxes.save(SandboxRows.Shape.of("da0da0da", "active", "lost", Instant.now()).in(NAMESPACE)
                .claim("ws-dangling", "Delete").row());
        sandboxes.save(SandboxRows.Shape.of("de1de1de", "deleted", "terminating", Instant.now()).in(NAMESPACE)
                .claim("ws-going", "Delete").row());
        Reply all = Await.until(WAIT, "the four claims are listed",
                () -> api.send(HttpRequest.GET("/api/v1/sandboxes/pvcs")), reply -> ((Number) reply.map().get("total")).intValue() >= 4);

        List<?> items = (List<?>) all.map().get("items");
        assertEquals(List.of("ws-bound bound db+k8s b0b0b0b0", "ws-dangling dangling_metadata db da0da0da",
                        "ws-going deleting db de1de1de", "ws-orphan orphan_pvc k8s null"),
                items.stream().map(Map.class::cast)
                        .map(i -> i.get("pvcName") + " " + i.get("state") + " " + i.get("source") + " " + i.get("sandboxId"))
                        .toList());
        Map<?, ?> bound = (Map<?, ?>) items.get(0);
        assertEquals(NAMESPACE, bound.get("namespace"));
        assertEquals("1Gi", bound.get("requestedSize"));
        assertEquals("local-path", bound.get("storageClassName"));
        assertEquals("Retain", bound.get("reclaimPolicy"));
        assertEquals("running", bound.get("sandboxLifecycleStatus"));

        assertEquals(1, ((Number) api.send(HttpRequest.GET("/api/v1/sandboxes/pvcs?state=deleting")).map()
                .get("total")).intValue(), "upstream refused the state it reports");
        assertEquals(1, ((Number) api.send(HttpRequest.GET("/api/v1/sandboxes/pvcs?sandbox_id=da0da0da")).map()
                .get("total")).intValue());
        Reply paged = api.send(HttpRequest.GET("/api/v1/sandboxes/pvcs?page=2&page_size=1"));
        assertEquals(Map.of("total", 4, "page", 2, "page_size", 1),
                Map.of("total", paged.map().get("total"), "page", paged.map().get("page"),
                        "page_size", paged.map().get("page_size")));
        assertEquals("ws-dangling", ((Map<?, ?>) ((List<?>) paged.map().get("items")).get(0)).get("pvcName"));
        Reply bad = api.send(HttpRequest.GET("/api/v1/sandboxes/pvcs?state=gone"));
        assertEquals(HttpStatus.BAD_REQUEST, bad.status());
        assertEquals(Map.of("error", "invalid state, expected one of [bound, orphan_pvc, dangling_metadata, deleting]"),
                bad.body());
    }

    private void createClaim(String name, String sandboxId) throws Exception {
        Map<String, String> labels = sandboxId == null
                ? Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE)
                : Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE, SandboxContract.SANDBOX_ID_LABEL, sandboxId);
        core.createNamespacedPersistentVolumeClaim(NAMESPACE, new V1PersistentVolumeClaim()
                .metadata(new V1ObjectMeta().name(name).labels(labels))
                .spec(new V1PersistentVolumeClaimSpec().accessModes(List.of("ReadWriteOnce"))
                        .storageClassName("local-path")
                        .resources(new V1VolumeResourceRequirements()
                                .requests(Map.of("storage", Quantity.fromString("1Gi")))))).execute();
    }

    /** The reconciler reads the informer cache; wait until the pod made outside the API is in it. */
    private void waitUntilCached(String sandboxId) throws Exception {
        Await.until(WAIT, "the pod of " + sandboxId + " is in the cache", () -> podCache.pod(sandboxId).isPresent());
    }

    /** The leader-elected controller's call (ReconcileTrigger); only its internal token opens it. */
    private void startupRunAsTheControllerAsksForIt() {
        String path = "/internal/v1/reconcile?trigger=startup";
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + api.apiKey()}) {
            var request = HttpRequest.POST(path, "");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            assertEquals(HttpStatus.UNAUTHORIZED, api.sendRaw(request).status(), "refused: " + authorization);
        }
        assertEquals(HttpStatus.BAD_REQUEST, api.sendRaw(HttpRequest.POST("/internal/v1/reconcile?trigger=manual", "")
                .header("Authorization", "Bearer " + INTERNAL_TOKEN)).status());
        Reply run = api.sendRaw(HttpRequest.POST(path, "").header("Authorization", "Bearer " + INTERNAL_TOKEN));
        assertEquals(HttpStatus.ACCEPTED, run.status(), String.valueOf(run.body()));
        assertEquals("completed", run.map().get("status"));
    }

    private static Set<String> items(Map<?, ?> detail) {
        return ((List<?>) detail.get("items")).stream().map(Map.class::cast)
                .map(i -> i.get("sandbox_id") + " " + i.get("drift_type") + " " + i.get("action"))
                .collect(Collectors.toSet());
    }
}
