package io.liteboxd.controller.fqdn;

import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.SandboxContract;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code CiliumNetworkPolicy} that lets one sandbox behind the egress proxy also reach its
 * allowed domains directly (docs/contract.md, Egress; docs/security.md, Egress modes): Cilium's
 * {@code toFQDNs} on TCP 80 and 443, which also covers what ignores the proxy variables. Same
 * name and selector as upstream's network controller (spec §16.2), plus the rule upstream left
 * out: {@code toFQDNs} only learns addresses from lookups that pass Cilium's DNS proxy, so the
 * DNS egress carries {@code rules.dns} (cilium/cilium#32567). Owned by the pod: Kubernetes
 * deletes it with the pod, and a persistent sandbox's next pod gets its own.
 */
public final class CiliumFqdnPolicy {

    public static final String GROUP = "cilium.io";
    public static final String VERSION = "v2";
    public static final String PLURAL = "ciliumnetworkpolicies";
    public static final String KIND = "CiliumNetworkPolicy";

    /** Where the sandboxes' DNS server runs: Cilium selects peers by pod labels and namespace. */
    public record DnsPeer(String namespace, Map<String, String> labels) {}

    private CiliumFqdnPolicy() {}

    public static String name(String sandboxId) {
        return "sandbox-egress-allowlist-" + sandboxId;
    }

    /**
     * The whole object as server-side apply takes it; {@code domains} as the API normalised them
     * (empty: lookups only, nothing direct).
     */
    public static Map<String, Object> of(V1Pod pod, String sandboxId, List<String> domains, DnsPeer dns) {
        var meta = pod.getMetadata();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name(sandboxId));
        metadata.put("namespace", meta.getNamespace());
        metadata.put("labels", Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE,
                SandboxContract.SANDBOX_ID_LABEL, sandboxId,
                SandboxContract.MANAGED_BY_LABEL, SandboxContract.MANAGED_BY_VALUE));
        metadata.put("ownerReferences", List.of(Map.of("apiVersion", "v1", "kind", "Pod",
                "name", meta.getName(), "uid", meta.getUid())));
        Map<String, Object> dnsPeer = new LinkedHashMap<>(dns.labels());
        dnsPeer.put("k8s:io.kubernetes.pod.namespace", dns.namespace());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("endpointSelector", Map.of("matchLabels", Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE,
                SandboxContract.SANDBOX_ID_LABEL, sandboxId)));
        List<Map<String, Object>> egress = new ArrayList<>();
        egress.add(Map.of("toEndpoints", List.of(Map.of("matchLabels", dnsPeer)),
                "toPorts", List.of(Map.of(
                        "ports", List.of(port("53", "UDP"), port("53", "TCP")),
                        "rules", Map.of("dns", List.of(Map.of("matchPattern", "*")))))));
        if (!domains.isEmpty()) {
            // An emptied list keeps the policy with DNS only: applied, not skipped, so the
            // domains of before do not stay open (a list replaces the one before, never merges).
            egress.add(Map.of("toFQDNs", domains.stream().map(CiliumFqdnPolicy::selector).toList(),
                    "toPorts", List.of(Map.of("ports", List.of(port("80", "TCP"), port("443", "TCP"))))));
        }
        spec.put("egress", egress);
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("apiVersion", GROUP + "/" + VERSION);
        policy.put("kind", KIND);
        policy.put("metadata", metadata);
        policy.put("spec", spec);
        return policy;
    }

    /**
     * {@code *.example.com} (subdomains only, as the proxy and upstream read it) is a Cilium
     * {@code matchPattern}, whose {@code *} matches one or more labels' characters but not the apex;
     * anything else names one host.
     */
    static Map<String, String> selector(String domain) {
        return domain.startsWith("*.") ? Map.of("matchPattern", domain) : Map.of("matchName", domain);
    }

    private static Map<String, String> port(String port, String protocol) {
        return Map.of("port", port, "protocol", protocol);
    }
}
