package io.liteboxd.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.PatchUtils;
import io.liteboxd.common.kubernetes.TolerantModelJson;
import io.liteboxd.common.prepull.PrepullContract;
import io.liteboxd.common.testing.Await;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The controller's half of the pre-pull handshake on the test-bed cluster: DaemonSets made as the
 * API makes them (PrepullContract) get progress and an outcome; a missing image fails with the
 * kubelet's reason after its timeout; a DaemonSet goes only once the API side says it recorded
 * the outcome.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class PrepullTrackerClusterTest implements TestPropertyProvider {

    static final String PAUSE = System.getenv().getOrDefault("LBX_PAUSE_IMAGE", "127.0.0.1:5000/liteboxd/pause:3.10-lbx5");
    static final String SANDBOX = System.getenv().getOrDefault("LBX_SANDBOX_IMAGE", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1");

    final String namespace = "lbx-pp-" + UUID.randomUUID().toString().substring(0, 6);
    AppsV1Api apps;
    CoreV1Api core;

    @Override
    public Map<String, String> getProperties() {
        try {
            TolerantModelJson.install();
            var client = Config.defaultClient();
            apps = new AppsV1Api(client);
            core = new CoreV1Api(client);
            core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace))).execute();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("liteboxd.kubernetes.enabled", "true",
                "liteboxd.controller.sandbox-namespace", namespace,
                "liteboxd.controller.control-namespace", namespace,
                "liteboxd.controller.identity", "prepull-test",
                "liteboxd.controller.lease-duration", "6s",
                "liteboxd.controller.renew-deadline", "4s",
                "liteboxd.controller.retry-period", "1s");
    }

    @AfterAll
    void cleanUp() throws Exception {
        core.deleteNamespace(namespace).execute();
    }

    @Test
    void anImageInTheRegistryCompletesOnEveryNode() throws Exception {
        apps.createNamespacedDaemonSet(namespace,
                PrepullContract.daemonSet("pp-0000ok01", SANDBOX, namespace, PAUSE, Duration.ofSeconds(120))).execute();
        Map<String, String> done = awaitAnnotation("pp-0000ok01", PrepullContract.COMPLETED);
        assertEquals("1", done.get(PrepullContract.READY_ANNOTATION));
        assertEquals("1", done.get(PrepullContract.TOTAL_ANNOTATION));
        recordAndAwaitDeletion("pp-0000ok01", PrepullContract.COMPLETED);
    }

    @Test
    void aMissingImageFailsWithTheKubeletsReasonAfterItsTimeout() throws Exception {
        Instant created = Instant.now();
        apps.createNamespacedDaemonSet(namespace, PrepullContract.daemonSet("pp-0000bad1",
                "127.0.0.1:5000/liteboxd/does-not-exist:1", namespace, PAUSE, Duration.ofSeconds(20))).execute();
        Map<String, String> failed = awaitAnnotation("pp-0000bad1", PrepullContract.FAILED);
        String error = failed.get(PrepullContract.ERROR_ANNOTATION);
        assertTrue(error.startsWith("ErrImagePull") || error.startsWith("ImagePullBackOff"), error);
        // 20 s leaves the kubelet ample time to reach ErrImagePull on a fresh node (at 8 s it once
        // still had the helper container starting, and the answer was the bare timeout).
        assertTrue(Duration.between(created, Instant.now()).compareTo(Duration.ofSeconds(19)) > 0,
                "a pull that may still succeed is not failed before its timeout");
        recordAndAwaitDeletion("pp-0000bad1", PrepullContract.FAILED);
    }

    private Map<String, String> awaitAnnotation(String id, String status) throws Exception {
        return Await.until(Duration.ofSeconds(120), id + " is " + status,
                () -> apps.readNamespacedDaemonSet(PrepullContract.name(id), namespace).execute().getMetadata()
                        .getAnnotations(),
                annotations -> status.equals(annotations.get(PrepullContract.STATUS_ANNOTATION)));
    }

    /** Plays the API's part, then waits for the controller to delete the DaemonSet. */
    private void recordAndAwaitDeletion(String id, String status) throws Exception {
        String name = PrepullContract.name(id);
        // A deliberate interval, not a wait for a condition: time for a wrong early deletion to
        // happen, so that its absence means something.
        Thread.sleep(1500);
        assertEquals(1, apps.listNamespacedDaemonSet(namespace).fieldSelector("metadata.name=" + name).execute()
                .getItems().size(), "not deleted before the API recorded the outcome");
        PatchUtils.patch(V1DaemonSet.class, () -> apps.patchNamespacedDaemonSet(name, namespace, new V1Patch(
                        "{\"metadata\":{\"annotations\":{\"" + PrepullContract.RECORDED_ANNOTATION + "\":\"" + status + "\"}}}"))
                        .buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, apps.getApiClient());
        Await.until(Duration.ofSeconds(60), name + " is deleted", () -> apps.listNamespacedDaemonSet(namespace)
                .fieldSelector("metadata.name=" + name).execute().getItems().isEmpty());
    }
}
