package io.liteboxd.api.prepull;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.util.PatchUtils;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.sandbox.ClusterTestNamespace;
import io.liteboxd.common.prepull.PrepullContract;
import io.liteboxd.common.testing.Await;
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
 * The API's half of pre-pull on the test-bed cluster: requests become DaemonSets as the contract
 * says; what the controller reports on them (played here by the test) reaches the record and
 * GET /images/prepull/{id}; the outcome is marked recorded; upstream's routes and errors.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class PrepullClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();
    static final String IMAGE = System.getenv().getOrDefault("LBX_SANDBOX_IMAGE", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1");

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    CoreV1Api core;

    @Inject
    AppsV1Api apps;

    ApiClient api;

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Map<String, String> clusterProperties() {
        return Map.of("liteboxd.prepull.helper-image",
                System.getenv().getOrDefault("LBX_PAUSE_IMAGE", "127.0.0.1:5000/liteboxd/pause:3.10-lbx5"));
    }

    @BeforeAll
    void login() {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    @Test
    void aRequestBecomesADaemonSetAndReportsTheControllersOutcome() throws Exception {
        Reply started = api.send(HttpRequest.POST("/api/v1/images/prepull", Map.of("image", " " + IMAGE + " ", "timeout", 90)));
        assertEquals(HttpStatus.ACCEPTED, started.status(), String.valueOf(started.body()));
        String id = (String) started.map().get("id");
        assertTrue(id.matches("pp-[0-9a-f]{8}"), id);
        assertEquals("pulling", started.map().get("status"));
        assertEquals(Map.of("ready", 0, "total", 0), started.map().get("progress"));

        V1DaemonSet ds = apps.readNamespacedDaemonSet(PrepullContract.name(id), NAMESPACE).execute();
        assertEquals(IMAGE, ds.getMetadata().getAnnotations().get(PrepullContract.IMAGE_ANNOTATION));
        assertEquals("90", ds.getMetadata().getAnnotations().get(PrepullContract.TIMEOUT_ANNOTATION));
        assertEquals(id, ds.getMetadata().getLabels().get(PrepullContract.ID_LABEL));

        Reply again = api.send(HttpRequest.POST("/api/v1/images/prepull", Map.of("image", IMAGE)));
        assertEquals(HttpStatus.CONFLICT, again.status());
        assertEquals(Map.of("error", Map.of("code", "PREPULL_IN_PROGRESS",
                "message", "prepull already in progress for image '" + IMAGE + "' (id: " + id + ")")), again.body());

        report(id, Map.of(PrepullContract.STATUS_ANNOTATION, "pulling", PrepullContract.READY_ANNOTATION, "0",
                PrepullContract.TOTAL_ANNOTATION, "1"));
        await(id, r -> Map.of("ready", 0, "total", 1).equals(r.get("progress")));
        report(id, Map.of(PrepullContract.STATUS_ANNOTATION, "completed", PrepullContract.READY_ANNOTATION, "1"));
        Map<?, ?> done = await(id, r -> "completed".equals(r.get("status")));
        assertEquals(Map.of("ready", 1, "total", 1), done.get("progress"));
        assertNotNull(done.get("completedAt"));
        awaitRecorded(id, "completed");

        List<?> listed = (List<?>) api.send(HttpRequest.GET("/api/v1/images/prepull?status=completed")).map().get("items");
        assertTrue(listed.stream().map(Map.class::cast).anyMatch(p -> id.equals(p.get("id"))));
        assertEquals(HttpStatus.NO_CONTENT, api.send(HttpRequest.DELETE("/api/v1/images/prepull/" + id)).status());
        assertEquals(HttpStatus.NOT_FOUND, api.send(HttpRequest.GET("/api/v1/images/prepull/" + id)).status());
    }

    @Test
    void aDaemonSetRemovedBeforeAnyOutcomeFailsItsRequest() throws Exception {
        String id = (String) api.send(HttpRequest.POST("/api/v1/images/prepull", Map.of("image", "busybox:removed")))
                .map().get("id");
        apps.deleteNamespacedDaemonSet(PrepullContract.name(id), NAMESPACE).execute();
        Map<?, ?> failed = await(id, r -> "failed".equals(r.get("status")));
        assertEquals("DaemonSet not found", failed.get("error"));
    }

    @Test
    void templatesPrepullTheirImage() throws Exception {
        assertEquals(HttpStatus.CREATED, api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "auto",
                "autoPrepull", true, "spec", Map.of("image", "registry.example/auto:1")))).status());
        Map<?, ?> auto = awaitListed("registry.example/auto:1");
        assertEquals("auto", auto.get("template"), "autoPrepull tags the request with the template");

        assertEquals(HttpStatus.CREATED, api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "manual",
                "spec", Map.of("image", "registry.example/manual:1")))).status());
        Reply byTemplate = api.send(HttpRequest.POST("/api/v1/templates/manual/prepull", Map.of()));
        assertEquals(HttpStatus.ACCEPTED, byTemplate.status());
        assertEquals("manual", byTemplate.map().get("template"));
        Reply unknown = api.send(HttpRequest.POST("/api/v1/templates/nope/prepull", Map.of()));
        assertEquals(Map.of("error", Map.of("code", "TEMPLATE_NOT_FOUND", "message", "Template 'nope' not found")),
                unknown.body());
    }

    @Test
    void badRequestsAreRefusedInUpstreamsShape() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of(), Map.of("image", "   "))) {
            Reply reply = api.send(HttpRequest.POST("/api/v1/images/prepull", body));
            assertEquals(HttpStatus.BAD_REQUEST, reply.status());
            assertEquals(Map.of("error", Map.of("code", "INVALID_REQUEST", "message", "image is required")), reply.body());
        }
        Reply missing = api.send(HttpRequest.GET("/api/v1/images/prepull/pp-00000000"));
        assertEquals(Map.of("error", Map.of("code", "PREPULL_NOT_FOUND", "message", "Prepull task 'pp-00000000' not found")),
                missing.body());
        assertEquals(HttpStatus.NOT_FOUND, api.send(HttpRequest.DELETE("/api/v1/images/prepull/pp-00000000")).status());
    }

    /** What the controller does: annotate the DaemonSet. */
    private void report(String id, Map<String, String> annotations) throws Exception {
        String patch = io.micronaut.json.JsonMapper.createDefault().writeValueAsString(Map.of("metadata",
                Map.of("annotations", annotations)));
        PatchUtils.patch(V1DaemonSet.class, () -> apps.patchNamespacedDaemonSet(PrepullContract.name(id), NAMESPACE,
                new V1Patch(patch)).buildCall(null), V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, apps.getApiClient());
    }

    private Map<?, ?> await(String id, Predicate<Map<?, ?>> done) throws Exception {
        return Await.until(WAIT, id + " gets there",
                () -> api.send(HttpRequest.GET("/api/v1/images/prepull/" + id)).map(), done);
    }

    private Map<?, ?> awaitListed(String image) throws Exception {
        return (Map<?, ?>) Await.until(WAIT, "a pre-pull of " + image + " is listed",
                () -> (List<?>) api.send(HttpRequest.GET("/api/v1/images/prepull?image=" + image)).map().get("items"),
                items -> !items.isEmpty()).getFirst();
    }

    private void awaitRecorded(String id, String status) throws Exception {
        Await.until(WAIT, id + " is marked recorded " + status,
                () -> status.equals(apps.readNamespacedDaemonSet(PrepullContract.name(id), NAMESPACE).execute()
                        .getMetadata().getAnnotations().get(PrepullContract.RECORDED_ANNOTATION)));
    }
}
