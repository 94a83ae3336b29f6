package io.liteboxd.gateway;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1TCPSocketAction;
import io.kubernetes.client.util.Config;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.kubernetes.TolerantModelJson;
import io.liteboxd.common.testing.Await;
import io.micronaut.test.support.TestPropertyProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sandbox pods for gateway tests, made directly in a namespace of the test's own (the gateway
 * never talks to the API, only to pods labelled and annotated as docs/contract.md says). Their
 * server is src/test/resources/sandbox-server.py.
 */
public final class TestSandboxes implements TestPropertyProvider {

    public static final String IMAGE = System.getenv().getOrDefault("LBX_SANDBOX_IMAGE",
            "127.0.0.1:5000/liteboxd/sandbox:bookworm-1");
    public final String namespace = "lbx-gw-" + UUID.randomUUID().toString().substring(0, 6);
    public final CoreV1Api core;

    public TestSandboxes() {
        TolerantModelJson.install(); // the cluster may be newer than client-java's models
        try {
            core = new CoreV1Api(Config.defaultClient());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the namespace; the gateway under test watches it. */
    @Override
    public Map<String, String> getProperties() {
        try {
            core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace)
                    .labels(Map.of("pod-security.kubernetes.io/enforce", "baseline")))).execute();
        } catch (io.kubernetes.client.openapi.ApiException e) {
            throw new IllegalStateException("cannot create namespace " + namespace + ": " + e.getResponseBody(), e);
        }
        return Map.of("liteboxd.kubernetes.enabled", "true", "liteboxd.gateway.namespace", namespace);
    }

    /** Starts a sandbox pod running the test server; returns once it is Ready. */
    public void start(String sandboxId, String token) throws Exception {
        start(sandboxId, token, List.of());
    }

    /**
     * Like {@link #start(String, String)}, with finalizers: a pod that has one stays visible,
     * with a deletion timestamp, after it is deleted (a sandbox that is terminating).
     */
    public void start(String sandboxId, String token, List<String> finalizers) throws Exception {
        String script;
        try (InputStream in = TestSandboxes.class.getResourceAsStream("/sandbox-server.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        V1Pod pod = new V1Pod()
                .metadata(new V1ObjectMeta().name(SandboxContract.podName(sandboxId))
                        .labels(Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE,
                                SandboxContract.SANDBOX_ID_LABEL, sandboxId))
                        .annotations(Map.of(SandboxContract.TOKEN_SHA256_ANNOTATION, sha256(token)))
                        .finalizers(finalizers.isEmpty() ? null : finalizers))
                // overhead(null): client-java would send an empty map, which admission rejects.
                .spec(new V1PodSpec().overhead(null).automountServiceAccountToken(false)
                        .terminationGracePeriodSeconds(1L)
                        .containers(List.of(new V1Container().name(SandboxContract.MAIN_CONTAINER).image(IMAGE)
                                .imagePullPolicy("IfNotPresent")
                                .command(List.of("python3", "-u", "-c", script))
                                .readinessProbe(new V1Probe().periodSeconds(1)
                                        .tcpSocket(new V1TCPSocketAction().port(new IntOrString(8765)))))));
        core.createNamespacedPod(namespace, pod).execute();
        awaitReady(SandboxContract.podName(sandboxId));
    }

    public void awaitReady(String podName) throws Exception {
        Await.until(Duration.ofSeconds(120), podName + " is Ready", () -> {
            V1Pod pod = core.readNamespacedPod(podName, namespace).execute();
            return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                    .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        });
    }

    public void removeNamespace() throws Exception {
        core.deleteNamespace(namespace).execute();
    }

    public static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
