package io.liteboxd.api.sandbox;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A test class that runs the API against the test-bed cluster (KUBECONFIG from hack/cluster.sh)
 * with its sandboxes in a namespace of its own, created before the context starts its
 * informers and removed with {@link #removeNamespace}.
 */
public interface ClusterTestNamespace extends SqliteTestDatabase {

    String ADMIN_PASSWORD = "cluster-tests";
    Duration WAIT = Duration.ofSeconds(120);

    /** A fresh namespace name; keep it in a static field of the test class. */
    static String newName() {
        return "lbx-test-" + UUID.randomUUID().toString().substring(0, 6);
    }

    String namespace();

    /** More properties for the class, on top of the cluster ones. */
    default Map<String, String> clusterProperties() {
        return Map.of();
    }

    @Override
    default Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>(Map.of(
                "liteboxd.kubernetes.enabled", "true",
                "liteboxd.sandbox.namespace", namespace(),
                "liteboxd.sandbox.gateway-url", "http://gateway.test",
                "liteboxd.sandbox.url-template", "http://{port}-{id}.sbx.test",
                "liteboxd.sandbox.launcher-image", PAUSE_IMAGE,
                "sandbox.token.encryption.key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
                "admin.initial.password", ADMIN_PASSWORD));
        properties.putAll(clusterProperties());
        return properties;
    }

    @Override
    default void prepare(Path databaseFile) throws Exception {
        var client = io.kubernetes.client.util.Config.defaultClient();
        new CoreV1Api(client).createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(namespace())
                .labels(Map.of("pod-security.kubernetes.io/enforce", "baseline")))).execute();
    }

    default void removeNamespace(CoreV1Api core) throws Exception {
        core.deleteNamespace(namespace()).execute();
    }

    /** The test bed's static pause image (hack/images/pause.c): the sandbox launcher. */
    String PAUSE_IMAGE = System.getenv().getOrDefault("LBX_PAUSE_IMAGE", "127.0.0.1:5000/liteboxd/pause:3.10-lbx5");

    /** The test bed's sandbox image (python3, sh, procps, coreutils). */
    String SANDBOX_IMAGE = System.getenv().getOrDefault("LBX_SANDBOX_IMAGE", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1");

    /**
     * Creates a template {@code name} running {@code command} in the sandbox image (plus any
     * {@code extraSpec}), starts a sandbox from it and returns its id once it is running.
     */
    static String runningSandbox(ApiClient api, String name, java.util.List<String> command,
                                 Map<String, Object> extraSpec) throws Exception {
        Map<String, Object> spec = new HashMap<>(extraSpec);
        spec.put("image", SANDBOX_IMAGE);
        spec.put("command", command);
        Reply template = api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", name, "spec", spec)));
        if (template.status().getCode() != 201) {
            throw new AssertionError("template " + name + " not created: " + template);
        }
        String id = (String) api.send(HttpRequest.POST("/api/v1/sandboxes", Map.of("template", name))).map().get("id");
        waitFor(api, id, r -> "running".equals(r.map().get("status")));
        return id;
    }

    /** Polls the sandbox through the API until {@code done} holds (the test's view, not the product's). */
    static Map<?, ?> waitFor(ApiClient api, String id, Predicate<Reply> done) throws Exception {
        return waitFor(api, id, done, WAIT);
    }

    /** {@link #waitFor(ApiClient, String, Predicate)} for what the kubelet does on its own schedule. */
    static Map<?, ?> waitFor(ApiClient api, String id, Predicate<Reply> done, Duration timeout) throws Exception {
        return Await.until(timeout, "sandbox " + id + " gets there",
                () -> api.send(HttpRequest.GET("/api/v1/sandboxes/" + id)), done).map();
    }
}
