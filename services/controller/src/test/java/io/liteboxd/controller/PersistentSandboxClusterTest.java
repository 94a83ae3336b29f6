package io.liteboxd.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.kubernetes.TolerantModelJson;
import io.liteboxd.common.testing.Await;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The controller's part of persistent sandboxes on the test-bed cluster, with Deployments and
 * PVCs made as docs/contract.md describes: idle suspend after {@code idle-timeout} without
 * activity, wake on {@code wake-requested-at} (as the gateway writes it) with the TTL moved by the
 * time stopped, and TTL expiry of the Deployment when due but never while stopped.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class PersistentSandboxClusterTest implements TestPropertyProvider {

    final String namespace = "lbx-ps-" + UUID.randomUUID().toString().substring(0, 6);
    CoreV1Api core;
    AppsV1Api apps;
    AnnotationPatcher patcher;

    @Override
    public Map<String, String> getProperties() {
        try {
            TolerantModelJson.install();
            ApiClient client = Config.defaultClient();
            core = new CoreV1Api(client);
            apps = new AppsV1Api(client);
            patcher = new AnnotationPatcher(client);
            core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace)
                    .labels(Map.of("pod-security.kubernetes.io/enforce", "baseline")))).execute();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("liteboxd.kubernetes.enabled", "true",
                "liteboxd.controller.sandbox-namespace", namespace,
                "liteboxd.controller.control-namespace", namespace,
                "liteboxd.controller.identity", "persistent-test",
                "liteboxd.controller.lease-duration", "6s",
                "liteboxd.controller.renew-deadline", "4s",
                "liteboxd.controller.retry-period", "1s");
    }

    @AfterAll
    void cleanUp() throws Exception {
        core.deleteNamespace(namespace).execute();
    }

    @Test
    void anIdleSandboxIsSuspendedAndAWakeRequestStartsItWithItsTtlMoved() throws Exception {
        String id = "1d1e0001";
        Instant expiresAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(1));
        core.createNamespacedPersistentVolumeClaim(namespace, PersistentSandboxes.claim(id)).execute();
        apps.createNamespacedDeployment(namespace, PersistentSandboxes.deployment(id, 1, Map.of(
                SandboxContract.IDLE_TIMEOUT_ANNOTATION, "5",
                SandboxContract.EXPIRES_AT_ANNOTATION, expiresAt.toString()))).execute();
        String name = SandboxContract.deploymentName(id);

        Instant ready = Await.until(Duration.ofSeconds(120), "the sandbox's pod is Ready",
                () -> readyPods(id) > 0 ? Instant.now() : null, at -> at != null);
        V1Deployment stopped = Await.until(Duration.ofSeconds(60), "the idle sandbox is suspended",
                () -> read(name), d -> d.getSpec().getReplicas() == 0);
        Instant stoppedAt = Instant.parse(Annotations.get(stopped, SandboxContract.STOPPED_AT_ANNOTATION));
        assertEquals("idle for 5s", Annotations.get(stopped, SandboxContract.STOP_REASON_ANNOTATION));
        // Ready as this test saw it comes after Ready as the kubelet recorded it (seconds).
        assertTrue(!stoppedAt.isBefore(ready.truncatedTo(ChronoUnit.SECONDS).plusSeconds(4)),
                "not suspended before 5 s of idleness: ready " + ready + ", stopped " + stoppedAt);
        assertTrue(Duration.between(ready, stoppedAt).compareTo(Duration.ofSeconds(15)) < 0,
                "suspended when due, not on a scan: ready " + ready + ", stopped " + stoppedAt);
        Await.until(Duration.ofSeconds(60), "the pod is gone", () -> pods(id) == 0);
        assertEquals(1, core.listNamespacedPersistentVolumeClaim(namespace).execute().getItems().size(), "PVC kept");

        // The gateway's wake request.
        Instant requested = Instant.now();
        patcher.deployment(namespace, name, Map.of(SandboxContract.WAKE_REQUESTED_AT_ANNOTATION, requested.toString()));
        V1Deployment woken = Await.until(Duration.ofSeconds(30), "the controller wakes it",
                () -> read(name), d -> d.getSpec().getReplicas() == 1);
        assertNull(Annotations.get(woken, SandboxContract.STOPPED_AT_ANNOTATION));
        assertNull(Annotations.get(woken, SandboxContract.STOP_REASON_ANNOTATION));
        assertNull(Annotations.get(woken, SandboxContract.WAKE_REQUESTED_AT_ANNOTATION));
        Instant moved = Instant.parse(Annotations.get(woken, SandboxContract.EXPIRES_AT_ANNOTATION));
        Duration stoppedFor = Duration.between(stoppedAt, requested);
        assertTrue(!moved.isBefore(expiresAt.plus(stoppedFor)) && moved.isBefore(expiresAt.plus(stoppedFor).plusSeconds(30)),
                "expires-at moved by the time stopped (" + stoppedFor + "): " + expiresAt + " -> " + moved);
        // Each Event is recorded just after its patch.
        Await.until(Duration.ofSeconds(10), "IdleSuspended and Woken Events are recorded", () -> core.listNamespacedEvent(namespace)
                .execute().getItems().stream().map(e -> e.getReason()).toList().containsAll(List.of("IdleSuspended", "Woken")));
        // Woken and Ready again; activity (as the gateway and the API mark it) keeps it running
        // past its idle timeout, and once the activity stops it is suspended again.
        Await.until(Duration.ofSeconds(120), "the woken pod is Ready", () -> readyPods(id) > 0);
        Instant busyUntil = Instant.now().plusSeconds(12);
        AtomicReference<Instant> lastActivity = new AtomicReference<>();
        ScheduledExecutorService busy = Executors.newSingleThreadScheduledExecutor();
        busy.scheduleAtFixedRate(() -> {
            try {
                if (Instant.now().isBefore(busyUntil)) {
                    patcher.deployment(namespace, name, Map.of(SandboxContract.LAST_ACTIVITY_ANNOTATION, Instant.now().toString()));
                    lastActivity.set(Instant.now());
                }
            } catch (ApiException e) {
                throw new IllegalStateException(e);
            }
        }, 0, 1, TimeUnit.SECONDS);
        try {
            // Every poll checks it is still running; the wait ends when the activity does.
            Await.until(Duration.ofSeconds(30), "12 s of activity, twice the idle timeout, went by running", () -> {
                assertEquals(1, read(name).getSpec().getReplicas(), "in use: not suspended");
                return Instant.now().isAfter(busyUntil.plusSeconds(1));
            });
        } finally {
            busy.shutdownNow();
        }
        V1Deployment again = Await.until(Duration.ofSeconds(60), "suspended again after 5 s idle", () -> read(name),
                d -> d.getSpec().getReplicas() == 0);
        Instant stoppedAgain = Instant.parse(Annotations.get(again, SandboxContract.STOPPED_AT_ANNOTATION));
        assertTrue(!stoppedAgain.isBefore(lastActivity.get().minusSeconds(1).plusSeconds(5)),
                "idle time counts from the last activity: " + lastActivity + " -> " + stoppedAgain);
    }

    @Test
    void aPersistentSandboxExpiresWhenDueButNeverWhileStopped() throws Exception {
        Instant expiresAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
        String running = "e1e00001";
        String stopped = "e1e00002";
        // replicas 0 keeps pods out of it: expiry looks at the Deployment's annotations only.
        apps.createNamespacedDeployment(namespace, PersistentSandboxes.deployment(stopped, 0, Map.of(
                SandboxContract.EXPIRES_AT_ANNOTATION, expiresAt.toString(),
                SandboxContract.STOPPED_AT_ANNOTATION, Instant.now().toString(),
                SandboxContract.STOP_REASON_ANNOTATION, "stopped by request"))).execute();
        apps.createNamespacedDeployment(namespace, PersistentSandboxes.deployment(running, 0, Map.of(
                SandboxContract.EXPIRES_AT_ANNOTATION, expiresAt.toString()))).execute();

        Await.until(Duration.ofSeconds(30), "the due Deployment is deleted",
                () -> isGoneOrDeleting(SandboxContract.deploymentName(running)));
        assertFalse(Instant.now().isBefore(expiresAt), "not deleted early");
        Await.until(Duration.ofSeconds(10), "an Expired Event is recorded", () -> core.listNamespacedEvent(namespace)
                .execute().getItems().stream().anyMatch(e -> "Expired".equals(e.getReason())
                        && SandboxContract.deploymentName(running).equals(e.getInvolvedObject().getName())));
        // Both were due at the same instant, so the stopped one has been looked at as well.
        V1Deployment kept = read(SandboxContract.deploymentName(stopped));
        assertNull(kept.getMetadata().getDeletionTimestamp(), "a stopped sandbox's TTL is paused");
        assertNull(Annotations.get(kept, SandboxContract.DELETION_REASON_ANNOTATION));
    }

    private V1Deployment read(String name) throws ApiException {
        return apps.readNamespacedDeployment(name, namespace).execute();
    }

    private boolean isGoneOrDeleting(String name) throws ApiException {
        try {
            V1Deployment d = read(name);
            return d.getMetadata().getDeletionTimestamp() != null;
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return true;
            }
            throw e;
        }
    }

    private int pods(String id) throws ApiException {
        return core.listNamespacedPod(namespace).labelSelector(SandboxContract.SANDBOX_ID_LABEL + "=" + id).execute()
                .getItems().size();
    }

    private long readyPods(String id) throws ApiException {
        return core.listNamespacedPod(namespace).labelSelector(SandboxContract.SANDBOX_ID_LABEL + "=" + id).execute()
                .getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                        && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())))
                .count();
    }
}
