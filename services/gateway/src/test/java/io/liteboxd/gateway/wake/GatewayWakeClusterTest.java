package io.liteboxd.gateway.wake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStrategy;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1TCPSocketAction;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.kubernetes.client.util.Config;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.PersistentScale;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.testing.Await;
import io.liteboxd.gateway.TestSandboxes;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Wake on request through a real gateway against persistent sandboxes made as docs/contract.md
 * describes (PVC + Deployment, pods found by label) on the test-bed cluster. No controller runs
 * here: where the leader would act on {@code wake-requested-at}, the test scales the Deployment
 * with {@link PersistentScale#start}, the helper the controller uses (PersistentSandboxClusterTest
 * in the controller module proves the controller's half).
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class GatewayWakeClusterTest implements TestPropertyProvider {

    static final String TOKEN = "wake-" + System.nanoTime();
    static final Duration WAKE_TIMEOUT = Duration.ofSeconds(25);
    /** The other tests hold one request at a time. */
    static final int MAX_WAITING = 2;

    final TestSandboxes sandboxes = new TestSandboxes();
    final HttpClient http = HttpClient.newHttpClient();
    AppsV1Api apps;
    PersistentScale scale;

    @Inject
    EmbeddedServer server;

    @Inject
    WakeWaiters waiters;

    @Override
    public Map<String, String> getProperties() {
        try {
            ApiClient client = Config.defaultClient();
            apps = new AppsV1Api(client);
            scale = new PersistentScale(client);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> properties = new HashMap<>(sandboxes.getProperties());
        properties.put("liteboxd.gateway.wake.timeout", WAKE_TIMEOUT.toSeconds() + "s");
        properties.put("liteboxd.gateway.wake.max-waiting", Integer.toString(MAX_WAITING));
        return properties;
    }

    @AfterAll
    void cleanUp() throws Exception {
        sandboxes.removeNamespace();
    }

    @Test
    void aRequestForAStoppedSandboxWakesItIsHeldAndIsAnsweredOnceItIsReady() throws Exception {
        String id = "3a4e0001";
        String name = createStopped(id);
        Await.until(Duration.ofSeconds(30), "the gateway's cache has the Deployment",
                () -> get(id, 8080, "wrong").statusCode() == 401);

        // A wrong token is refused like a running sandbox's, and wakes nothing.
        HttpResponse<String> refused = get(id, 8080, "wrong");
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().contains("invalid access token"), refused.body());
        assertEquals(401, get(id, 8080, null).statusCode(), "no token");
        assertNull(Annotations.get(read(name), SandboxContract.WAKE_REQUESTED_AT_ANNOTATION), "no wake on a bad token");
        assertEquals(404, get("3a4e00ff", 8080, TOKEN).statusCode(), "unknown sandbox");

        // The right token: the request is held, the sandbox asked to wake.
        Instant sent = Instant.now();
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(request(id, 8080, "/hello", TOKEN).build(),
                BodyHandlers.ofString());
        V1Deployment asked = Await.until(Duration.ofSeconds(10), "the gateway writes wake-requested-at",
                () -> read(name), d -> Annotations.get(d, SandboxContract.WAKE_REQUESTED_AT_ANNOTATION) != null);
        // Written for this request, not for the refused ones before it (whose write would have
        // been earlier, and would have kept this one from being written: one per 5 s).
        Instant requestedAt = Instant.parse(Annotations.get(asked, SandboxContract.WAKE_REQUESTED_AT_ANNOTATION));
        assertFalse(requestedAt.isBefore(sent), "wake requested at " + requestedAt + ", request sent " + sent);
        assertFalse(held.isDone(), "held while stopped");
        assertEquals(1, waiters.held());
        // The controller's move.
        scale.start(sandboxes.namespace, name, asked.getMetadata().getAnnotations(), Instant.now());
        HttpResponse<String> answered = held.get(120, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        assertTrue(answered.body().contains("\"hello\": 8080"), answered.body());
        assertEquals(0, waiters.held(), "nothing left held");

        // Running now: answered at once, and the request counts as activity.
        assertEquals(200, get(id, 8080, TOKEN).statusCode());
        Await.until(Duration.ofSeconds(10), "the gateway marks last-activity",
                () -> Annotations.get(read(name), SandboxContract.LAST_ACTIVITY_ANNOTATION) != null);
    }

    @Test
    void aWebSocketUpgradeForAStoppedSandboxIsHeldThenTunnelled() throws Exception {
        String id = "3a4e0002";
        String name = createStopped(id);
        Await.until(Duration.ofSeconds(30), "the gateway's cache has the Deployment",
                () -> get(id, 8080, "wrong").statusCode() == 401);
        CompletableFuture<String> echoed = new CompletableFuture<>();
        CompletableFuture<WebSocket> opening = http.newWebSocketBuilder().header("X-Access-Token", TOKEN)
                .buildAsync(URI.create("ws://localhost:" + server.getPort() + "/api/v1/sandbox/" + id + "/port/8765/echo"),
                        new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                echoed.complete(data.toString());
                                return null;
                            }
                        });
        V1Deployment asked = Await.until(Duration.ofSeconds(10), "the gateway writes wake-requested-at",
                () -> read(name), d -> Annotations.get(d, SandboxContract.WAKE_REQUESTED_AT_ANNOTATION) != null);
        assertFalse(opening.isDone(), "the upgrade is held while stopped");
        scale.start(sandboxes.namespace, name, asked.getMetadata().getAnnotations(), Instant.now());
        WebSocket socket = opening.get(120, TimeUnit.SECONDS);
        socket.sendText("ping after wake", true);
        assertTrue(echoed.get(30, TimeUnit.SECONDS).contains("ping after wake"), echoed.getNow(""));
        Await.until(Duration.ofSeconds(10), "an open tunnel marks last-activity",
                () -> Annotations.get(read(name), SandboxContract.LAST_ACTIVITY_ANNOTATION) != null);
        socket.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
    }

    @Test
    void heldRequestsAreCappedAndOnesForASandboxThatDoesNotStartInTimeAre503WithRetryAfter() throws Exception {
        String id = "3a4e0003";
        createStopped(id);
        Await.until(Duration.ofSeconds(30), "the gateway's cache has the Deployment",
                () -> get(id, 8080, "wrong").statusCode() == 401);
        Instant sent = Instant.now();
        List<CompletableFuture<HttpResponse<String>>> held = List.of(
                http.sendAsync(request(id, 8080, "/hello", TOKEN).build(), BodyHandlers.ofString()),
                http.sendAsync(request(id, 8080, "/hello", TOKEN).build(), BodyHandlers.ofString()));
        Await.until(Duration.ofSeconds(10), "both are held", () -> waiters.held() == MAX_WAITING);
        HttpResponse<String> refused = get(id, 8080, TOKEN);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("too many requests waiting for sandboxes to start"), refused.body());
        assertEquals("5", refused.headers().firstValue("retry-after").orElse(null));
        assertTrue(Duration.between(sent, Instant.now()).compareTo(WAKE_TIMEOUT) < 0, "refused at once, not held");
        for (CompletableFuture<HttpResponse<String>> pending : held) { // nobody starts it
            HttpResponse<String> response = pending.get(WAKE_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
            Duration waited = Duration.between(sent, Instant.now());
            assertEquals(503, response.statusCode(), response.body());
            assertTrue(response.body().contains("the sandbox did not start in time"), response.body());
            assertNotNull(response.headers().firstValue("retry-after").orElse(null));
            assertTrue(waited.compareTo(WAKE_TIMEOUT.minusSeconds(1)) >= 0 && waited.compareTo(WAKE_TIMEOUT.plusSeconds(10)) < 0,
                    "held for the wake timeout: " + waited);
        }
        assertEquals(0, waiters.held(), "the slots are given back");
    }

    @Test
    void aSandboxDeletedWhileARequestWaitsIsNotFound() throws Exception {
        String id = "3a4e0004";
        String name = createStopped(id);
        Await.until(Duration.ofSeconds(30), "the gateway's cache has the Deployment",
                () -> get(id, 8080, "wrong").statusCode() == 401);
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(request(id, 8080, "/hello", TOKEN).build(),
                BodyHandlers.ofString());
        Await.until(Duration.ofSeconds(10), "the request is held", () -> waiters.held() == 1);
        Instant deleted = Instant.now();
        apps.deleteNamespacedDeployment(name, sandboxes.namespace).execute();
        HttpResponse<String> response = held.get(WAKE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(404, response.statusCode(), response.body());
        assertTrue(response.body().contains("sandbox not found"), response.body());
        assertTrue(Duration.between(deleted, Instant.now()).compareTo(WAKE_TIMEOUT.dividedBy(2)) < 0,
                "answered when the Deployment went, not at the wake timeout");
    }

    /** PVC and Deployment of a stopped persistent sandbox whose pod runs the test server. */
    private String createStopped(String id) throws Exception {
        String script;
        try (InputStream in = TestSandboxes.class.getResourceAsStream("/sandbox-server.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> labels = Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE,
                SandboxContract.SANDBOX_ID_LABEL, id, SandboxContract.MANAGED_BY_LABEL, SandboxContract.MANAGED_BY_VALUE,
                SandboxContract.PERSISTENT_LABEL, "true");
        sandboxes.core.createNamespacedPersistentVolumeClaim(sandboxes.namespace, new V1PersistentVolumeClaim()
                .metadata(new V1ObjectMeta().name(SandboxContract.claimName(id)).labels(labels))
                .spec(new V1PersistentVolumeClaimSpec().accessModes(List.of("ReadWriteOnce"))
                        .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", new Quantity("64Mi"))))))
                .execute();
        String name = SandboxContract.deploymentName(id);
        apps.createNamespacedDeployment(sandboxes.namespace, new V1Deployment()
                .metadata(new V1ObjectMeta().name(name).labels(labels).annotations(Map.of(
                        SandboxContract.TOKEN_SHA256_ANNOTATION, TestSandboxes.sha256(TOKEN),
                        SandboxContract.IDLE_TIMEOUT_ANNOTATION, "600",
                        SandboxContract.STOPPED_AT_ANNOTATION, Instant.now().toString(),
                        SandboxContract.STOP_REASON_ANNOTATION, "idle for 600s")))
                .spec(new V1DeploymentSpec().replicas(0).strategy(new V1DeploymentStrategy().type("Recreate"))
                        .selector(new V1LabelSelector().matchLabels(Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE,
                                SandboxContract.SANDBOX_ID_LABEL, id)))
                        .template(new V1PodTemplateSpec()
                                // The pod carries the token hash too (docs/contract.md), from its template.
                                .metadata(new V1ObjectMeta().labels(labels).annotations(Map.of(
                                        SandboxContract.TOKEN_SHA256_ANNOTATION, TestSandboxes.sha256(TOKEN))))
                                .spec(new V1PodSpec().overhead(null).automountServiceAccountToken(false)
                                        .terminationGracePeriodSeconds(1L)
                                        .volumes(List.of(new V1Volume().name("data").persistentVolumeClaim(
                                                new V1PersistentVolumeClaimVolumeSource().claimName(SandboxContract.claimName(id)))))
                                        .containers(List.of(new V1Container().name(SandboxContract.MAIN_CONTAINER)
                                                .image(TestSandboxes.IMAGE).imagePullPolicy("IfNotPresent")
                                                .command(List.of("python3", "-u", "-c", script))
                                                .volumeMounts(List.of(new V1VolumeMount().name("data").mountPath("/data")))
                                                .readinessProbe(new V1Probe().periodSeconds(1)
                                                        .tcpSocket(new V1TCPSocketAction().port(new IntOrString(8765)))))))))).execute();
        return name;
    }

    private V1Deployment read(String name) throws Exception {
        return apps.readNamespacedDeployment(name, sandboxes.namespace).execute();
    }

    private HttpRequest.Builder request(String id, int port, String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + server.getPort()
                + "/api/v1/sandbox/" + id + "/port/" + port + path));
        return token == null ? builder : builder.header("X-Access-Token", token);
    }

    private HttpResponse<String> get(String id, int port, String token) throws Exception {
        return http.send(request(id, port, "/hello", token).build(), BodyHandlers.ofString());
    }
}
