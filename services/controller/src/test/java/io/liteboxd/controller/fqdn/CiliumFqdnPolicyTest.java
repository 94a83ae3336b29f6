package io.liteboxd.controller.fqdn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.Gson;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-sandbox CiliumNetworkPolicy: upstream's name and selector, its DNS rule, and the owner. */
class CiliumFqdnPolicyTest {

    static final CiliumFqdnPolicy.DnsPeer KUBE_DNS = new CiliumFqdnPolicy.DnsPeer("kube-system", Map.of("k8s-app", "kube-dns"));
    static final V1Pod POD = new V1Pod().metadata(new V1ObjectMeta().name("sandbox-0000abcd")
            .namespace("liteboxd-sandbox").uid("8d0c6a4e-0000-4000-8000-000000000001"));

    /** Read back as plain JSON, the way the API server receives it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> policy(List<String> domains) {
        Gson gson = new Gson();
        return gson.fromJson(gson.toJson(CiliumFqdnPolicy.of(POD, "0000abcd", domains, KUBE_DNS)), Map.class);
    }

    @Test
    void isUpstreamsNamedPolicySelectingTheOneSandbox() {
        Map<String, Object> policy = policy(List.of("pypi.org"));
        assertEquals("cilium.io/v2", policy.get("apiVersion"));
        assertEquals("CiliumNetworkPolicy", policy.get("kind"));
        assertEquals("sandbox-egress-allowlist-0000abcd", at(policy, "metadata", "name"));
        assertEquals("liteboxd-sandbox", at(policy, "metadata", "namespace"));
        assertEquals(Map.of("app", "liteboxd", "sandbox-id", "0000abcd"),
                at(policy, "spec", "endpointSelector", "matchLabels"));
    }

    @Test
    void isOwnedByThePodSoKubernetesDeletesItWithThePod() {
        assertEquals(List.of(Map.of("apiVersion", "v1", "kind", "Pod", "name", "sandbox-0000abcd",
                        "uid", "8d0c6a4e-0000-4000-8000-000000000001")),
                at(policy(List.of("pypi.org")), "metadata", "ownerReferences"));
    }

    @Test
    void lookupsPassCiliumsDnsProxyWhichUpstreamLeftOut() {
        Map<?, ?> dns = (Map<?, ?>) egress(policy(List.of("pypi.org"))).get(0);
        assertEquals(List.of(Map.of("matchLabels", Map.of("k8s-app", "kube-dns",
                "k8s:io.kubernetes.pod.namespace", "kube-system"))), dns.get("toEndpoints"));
        Map<?, ?> ports = (Map<?, ?>) ((List<?>) dns.get("toPorts")).get(0);
        assertEquals(List.of(Map.of("port", "53", "protocol", "UDP"), Map.of("port", "53", "protocol", "TCP")),
                ports.get("ports"));
        assertEquals(Map.of("dns", List.of(Map.of("matchPattern", "*"))), ports.get("rules"));
    }

    @Test
    void namesAreMatchedExactlyAndWildcardsAsPatternsOnWebPortsOnly() {
        Map<?, ?> fqdns = (Map<?, ?>) egress(policy(List.of("pypi.org", "*.example.com"))).get(1);
        assertEquals(List.of(Map.of("matchName", "pypi.org"), Map.of("matchPattern", "*.example.com")),
                fqdns.get("toFQDNs"));
        assertEquals(List.of(Map.of("ports", List.of(Map.of("port", "80", "protocol", "TCP"),
                Map.of("port", "443", "protocol", "TCP")))), fqdns.get("toPorts"));
        // Cilium refuses toFQDNs beside other To* rules in one egress rule: DNS stays a rule of its own.
        assertEquals(2, egress(policy(List.of("pypi.org"))).size());
    }

    @Test
    void anEmptiedListLeavesLookupsOnlySoNoDomainOfBeforeStaysOpen() {
        List<?> egress = egress(policy(List.of()));
        assertEquals(1, egress.size());
        assertEquals(null, ((Map<?, ?>) egress.get(0)).get("toFQDNs"));
    }

    @Test
    void theDnsSelectorIsReadFromKeyValuePairs() {
        assertEquals(Map.of("k8s-app", "kube-dns", "tier", "dns"), FqdnPolicySettings.labels("k8s-app=kube-dns, tier=dns"));
        assertThrows(IllegalArgumentException.class, () -> FqdnPolicySettings.labels("k8s-app"));
        assertThrows(IllegalArgumentException.class, () -> FqdnPolicySettings.labels(""));
    }

    private static List<?> egress(Map<String, Object> policy) {
        return (List<?>) at(policy, "spec", "egress");
    }

    private static Object at(Map<String, Object> map, String... path) {
        Object node = map;
        for (String key : path) {
            node = ((Map<?, ?>) node).get(key);
        }
        return node;
    }
}
