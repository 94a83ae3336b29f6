package io.liteboxd.api.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.NetworkingV1Api;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1NetworkPolicyEgressRule;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPeer;
import io.kubernetes.client.openapi.models.V1NetworkPolicyPort;
import io.kubernetes.client.openapi.models.V1NetworkPolicySpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaSpec;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.custom.IntOrString;
import io.liteboxd.api.ApiClient;
import io.liteboxd.api.ApiClient.Reply;
import io.liteboxd.api.sandbox.ClusterTestNamespace;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The isolation self-test on the test-bed cluster, under runc and gVisor. The namespace starts
 * without network policies, and the report must say so (the Kubernetes API, the node and the
 * neighbouring sandbox answer); then the chart's fence (deny all, DNS allowed) goes up and a gVisor
 * sandbox must pass everything it can observe. The internet stand-in is a closed port on the node
 * (a refused connection proves reachability just as well as an open one).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIfEnvironmentVariable(named = "LBX_CLUSTER_TESTS", matches = "1")
class SelfTestClusterTest implements ClusterTestNamespace {

    static final String NAMESPACE = ClusterTestNamespace.newName();

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    CoreV1Api core;

    @Inject
    io.kubernetes.client.openapi.ApiClient kubernetes;

    ApiClient api;

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Map<String, String> clusterProperties() {
        // The test's client waits for the whole self-test (a gVisor sandbox started and probed);
        // beside ct on 2 CPUs that took longer than the client's default 10 s read timeout.
        return Map.of("liteboxd.selftest.internet-target", "10.244.0.1:9",
                "micronaut.http.client.read-timeout", "3m");
    }

    @BeforeAll
    void templatesAndANeighbour() throws Exception {
        api = new ApiClient(http, "admin", ADMIN_PASSWORD);
        // A running sandbox the probe must not reach.
        ClusterTestNamespace.runningSandbox(api, "neighbour", List.of("sleep", "infinity"), Map.of());
        for (var template : Map.<String, Map<String, Object>>of("plain", Map.of(),
                "gvisor", Map.of("runtimeClassName", "gvisor")).entrySet()) {
            Map<String, Object> spec = new HashMap<>(template.getValue());
            spec.put("image", SANDBOX_IMAGE);
            spec.put("command", List.of("sleep", "infinity"));
            spec.put("resources", Map.of("cpu", "250m", "memory", "192Mi"));
            assertEquals(HttpStatus.CREATED, api.send(HttpRequest.POST("/api/v1/templates",
                    Map.of("name", template.getKey(), "spec", spec))).status());
        }
    }

    @AfterAll
    void cleanUp() throws Exception {
        removeNamespace(core);
    }

    Map<?, ?> verify(String template) {
        // Without a body and with a Content-Type of no meaning, as curl -X POST or a bare SDK call sends it.
        Reply reply = api.send(HttpRequest.POST("/api/v1/templates/" + template + "/verify", "")
                .contentType("application/octet-stream"));
        assertEquals(HttpStatus.OK, reply.status(), reply.toString());
        return reply.map();
    }

    static Map<String, Map<?, ?>> checks(Map<?, ?> report) {
        return ((List<?>) report.get("checks")).stream().map(c -> (Map<?, ?>) c)
                .collect(Collectors.toMap(c -> (String) c.get("name"), c -> c));
    }

    static void assertStatus(Map<String, Map<?, ?>> checks, String status, String... names) {
        for (String name : names) {
            assertEquals(status, checks.get(name).get("status"), name + ": " + checks.get(name));
        }
    }

    @Test
    @Order(1)
    void withoutNetworkPoliciesTheReportShowsTheOpenPaths() {
        Map<?, ?> report = verify("plain");
        Map<String, Map<?, ?>> checks = checks(report);
        assertEquals(false, report.get("passed"), report.toString());
        assertEquals("", report.get("runtimeClassName"));
        assertStatus(checks, "fail", "kubernetes-api", "node", "other-sandbox", "internet");
        assertStatus(checks, "pass", "sandbox-started", "service-account-token", "metadata-endpoint", "dns", "seccomp",
                "capabilities", "runtime", "cpu-limit", "memory-limit");
        assertStatus(checks, "skip", "control-plane");
        assertEquals("250m", checks.get("cpu-limit").get("expected"));
        assertEquals(192L * 1024 * 1024 + " bytes", checks.get("memory-limit").get("observed"));
        assertTrue(((String) checks.get("runtime").get("observed")).startsWith("not gVisor"), checks.get("runtime").toString());
        assertProbeSandboxDeleted((String) report.get("sandboxId"));
    }

    @Test
    @Order(2)
    void behindTheChartsFenceAGvisorSandboxPasses() throws Exception {
        fence();
        Map<?, ?> report = verify("gvisor");
        Map<String, Map<?, ?>> checks = checks(report);
        assertEquals("gvisor", report.get("runtimeClassName"));
        assertStatus(checks, "pass", "sandbox-started", "service-account-token", "kubernetes-api", "node",
                "other-sandbox", "metadata-endpoint", "dns", "internet", "capabilities", "runtime", "cpu-limit",
                "memory-limit");
        assertStatus(checks, "skip", "seccomp", "control-plane");
        assertTrue(((String) checks.get("runtime").get("observed")).startsWith("gVisor"), checks.get("runtime").toString());
        assertEquals(true, report.get("passed"), report.toString());
        assertProbeSandboxDeleted((String) report.get("sandboxId"));
    }

    @Test
    @Order(3)
    void onlyARequestThatCannotBeCarriedOutIsAnError() {
        Reply missing = api.send(HttpRequest.POST("/api/v1/templates/nope/verify", Map.of()));
        assertEquals(HttpStatus.NOT_FOUND, missing.status());
        assertEquals("TEMPLATE_NOT_FOUND", ((Map<?, ?>) missing.map().get("error")).get("code"));
        Reply version = api.send(HttpRequest.POST("/api/v1/templates/plain/verify?version=7", Map.of()));
        assertEquals(HttpStatus.NOT_FOUND, version.status());
        assertEquals(HttpStatus.BAD_REQUEST, api.send(HttpRequest.POST("/api/v1/templates/plain/verify?version=x",
                Map.of())).status());
        Reply unknown = api.send(HttpRequest.POST("/api/v1/templates", Map.of("name", "kata", "spec",
                Map.of("image", SANDBOX_IMAGE, "runtimeClassName", "kata"))));
        assertEquals(HttpStatus.BAD_REQUEST, unknown.status());
        assertEquals("invalid spec: runtimeClassName 'kata' is not a RuntimeClass of this cluster (it has gvisor)",
                ((Map<?, ?>) unknown.map().get("error")).get("message"));
    }

    @Test
    @Order(4)
    void aPodTheClusterRefusesIsAFailedCheckNotAnError() throws Exception {
        String quota = "no-more-pods";
        core.createNamespacedResourceQuota(NAMESPACE, new V1ResourceQuota().metadata(new V1ObjectMeta().name(quota))
                .spec(new V1ResourceQuotaSpec().hard(Map.of("pods", Quantity.fromString("0"))))).execute();
        // Admission enforces a quota once the quota controller has filled in its status.
        Await.until(Duration.ofSeconds(60), "the quota controller takes up " + quota, () -> {
            var status = core.readNamespacedResourceQuota(quota, NAMESPACE).execute().getStatus();
            return status != null && status.getHard() != null;
        });
        try {
            Map<?, ?> report = verify("plain");
            assertEquals(false, report.get("passed"));
            assertEquals("", report.get("sandboxId"));
            Map<?, ?> started = checks(report).get("sandbox-started");
            assertEquals("fail", started.get("status"));
            assertTrue(((String) started.get("detail")).contains("exceeded quota"), started.toString());
        } finally {
            core.deleteNamespacedResourceQuota(quota, NAMESPACE).execute();
        }
    }

    /** The sandbox namespace's policies as the chart writes them, without the gateway's ingress. */
    void fence() throws Exception {
        NetworkingV1Api networking = new NetworkingV1Api(kubernetes);
        networking.createNamespacedNetworkPolicy(NAMESPACE, new V1NetworkPolicy()
                .metadata(new V1ObjectMeta().name("default-deny-all"))
                .spec(new V1NetworkPolicySpec().podSelector(new V1LabelSelector())
                        .policyTypes(List.of("Ingress", "Egress")))).execute();
        networking.createNamespacedNetworkPolicy(NAMESPACE, new V1NetworkPolicy()
                .metadata(new V1ObjectMeta().name("allow-dns"))
                .spec(new V1NetworkPolicySpec().podSelector(new V1LabelSelector()).policyTypes(List.of("Egress"))
                        .egress(List.of(new V1NetworkPolicyEgressRule()
                                .to(List.of(new V1NetworkPolicyPeer()
                                        .namespaceSelector(new V1LabelSelector().matchLabels(
                                                Map.of("kubernetes.io/metadata.name", "kube-system")))
                                        .podSelector(new V1LabelSelector().matchLabels(Map.of("k8s-app", "kube-dns")))))
                                .ports(List.of(new V1NetworkPolicyPort().protocol("UDP").port(new IntOrString(53)),
                                        new V1NetworkPolicyPort().protocol("TCP").port(new IntOrString(53)))))))).execute();
    }

    void assertProbeSandboxDeleted(String id) {
        Reply reply = api.send(HttpRequest.GET("/api/v1/sandboxes/" + id));
        assertTrue(reply.status() == HttpStatus.NOT_FOUND || "terminating".equals(reply.map().get("status")),
                "the probe sandbox is deleted with the report: " + reply);
    }
}
