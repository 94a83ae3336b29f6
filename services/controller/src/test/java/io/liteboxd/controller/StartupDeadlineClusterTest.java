package io.liteboxd.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1ExecAction;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.util.Config;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.kubernetes.SandboxPodStatus;
import io.liteboxd.common.kubernetes.TolerantModelJson;
import io.liteboxd.common.testing.Await;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The controller's half of the startup deadline on the test-bed cluster, with pods made as the
 * API makes them (a {@code liteboxd.io/startup-deadline}, the template's readiness probe): a pod
 * that never turns Ready is marked {@code liteboxd.io/startup-failed} at its deadline, not before,
 * with the reason the API then shows; one that turned Ready in time is left alone.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class StartupDeadlineClusterTest implements TestPropertyProvider {

    static final String SANDBOX = System.getenv().getOrDefault("LBX_SANDBOX_IMAGE", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1");

    final String namespace = "lbx-sd-" + UUID.randomUUID().toString().substring(0, 6);
    CoreV1Api core;

    @Inject
    MeterRegistry registry;

    @Override
    public Map<String, String> getProperties() {
        try {
            TolerantModelJson.install();
            core = new CoreV1Api(Config.defaultClient());
            core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace)
                    .labels(Map.of("pod-security.kubernetes.io/enforce", "baseline")))).execute();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of("liteboxd.kubernetes.enabled", "true",
                "liteboxd.controller.sandbox-namespace", namespace,
                "liteboxd.controller.control-namespace", namespace,
                "liteboxd.controller.identity", "startup-test",
                "liteboxd.controller.lease-duration", "6s",
                "liteboxd.controller.renew-deadline", "4s",
                "liteboxd.controller.retry-period", "1s");
    }

    @AfterAll
    void cleanUp() throws Exception {
        core.deleteNamespace(namespace).execute();
    }

    @Test
    void aPodNotReadyByItsDeadlineFailsThereAndAReadyOneIsLeftAlone() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // The ready pod's deadline comes first: once the other one is failed, it has been looked at.
        Instant readyDeadline = now.plusSeconds(10);
        Instant neverReadyDeadline = now.plusSeconds(11);
        String ready = SandboxContract.podName("5d000001");
        String neverReady = SandboxContract.podName("5d000002");
        core.createNamespacedPod(namespace, pod("5d000001", readyDeadline, "true")).execute();
        core.createNamespacedPod(namespace, pod("5d000002", neverReadyDeadline, "false")).execute();

        Await.until(Duration.ofSeconds(9), "the ready pod turns Ready before its deadline",
                () -> SandboxPodStatus.of(read(ready)) == SandboxPodStatus.RUNNING);
        Await.until(Duration.ofSeconds(60), "the never-ready pod is failed",
                () -> Annotations.get(read(neverReady), SandboxContract.STARTUP_FAILED_ANNOTATION) != null);
        Instant failedAt = Instant.now();
        V1Pod failed = read(neverReady);
        assertEquals("startup timed out: readiness probe not passing",
                Annotations.get(failed, SandboxContract.STARTUP_FAILED_ANNOTATION));
        assertEquals(SandboxPodStatus.FAILED, SandboxPodStatus.of(failed), "what the API and the gateway see");
        assertTrue(!failedAt.isBefore(neverReadyDeadline), "not failed before its deadline: " + failedAt);
        assertTrue(Duration.between(neverReadyDeadline, failedAt).compareTo(Duration.ofSeconds(10)) < 0,
                "failed at the deadline, not on a scan: " + failedAt);

        assertNull(Annotations.get(read(ready), SandboxContract.STARTUP_FAILED_ANNOTATION), "Ready in time stays running");
        assertEquals(1.0, registry.get("liteboxd.controller.startup.timeouts").counter().count());
        // The write's own watch event queues the key once more, briefly.
        Await.until(Duration.ofSeconds(10), "nothing is left waiting: both pods are past their deadline",
                () -> registry.get("liteboxd.controller.workqueue.depth").tag("loop", "startup-deadline").gauge()
                        .value() == 0.0);
    }

    private V1Pod read(String name) throws Exception {
        return core.readNamespacedPod(name, namespace).execute();
    }

    private V1Pod pod(String id, Instant deadline, String probe) {
        return new V1Pod()
                .metadata(new V1ObjectMeta().name(SandboxContract.podName(id))
                        .labels(Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE,
                                SandboxContract.SANDBOX_ID_LABEL, id))
                        .annotations(Map.of(SandboxContract.STARTUP_DEADLINE_ANNOTATION, deadline.toString())))
                // overhead(null): client-java would send an empty map, which admission rejects.
                .spec(new V1PodSpec().overhead(null).automountServiceAccountToken(false)
                        .terminationGracePeriodSeconds(1L)
                        .containers(List.of(new V1Container().name(SandboxContract.MAIN_CONTAINER).image(SANDBOX)
                                .command(List.of("sleep", "infinity"))
                                .readinessProbe(new V1Probe().exec(new V1ExecAction().command(List.of(probe)))
                                        .periodSeconds(1)))));
    }
}
