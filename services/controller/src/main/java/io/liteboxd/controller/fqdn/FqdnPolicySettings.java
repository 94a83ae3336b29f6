package io.liteboxd.controller.fqdn;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code liteboxd.fqdn-policies}: whether the controller writes a {@code CiliumNetworkPolicy} with
 * {@code toFQDNs} for each sandbox behind the egress proxy ({@code CILIUM_FQDN_POLICIES}; the
 * chart turns it on when the Cilium CRDs exist), and where the sandboxes' DNS server runs
 * ({@code CILIUM_DNS_NAMESPACE}, {@code CILIUM_DNS_SELECTOR} as {@code key=value[,key=value]}).
 */
@ConfigurationProperties("liteboxd.fqdn-policies")
public record FqdnPolicySettings(
        @Bindable(defaultValue = "false") boolean enabled,
        @Bindable(defaultValue = "kube-system") String dnsNamespace,
        @Bindable(defaultValue = "k8s-app=kube-dns") String dnsSelector) {

    public FqdnPolicySettings {
        if (dnsNamespace == null || dnsNamespace.isBlank()) {
            throw new IllegalArgumentException("liteboxd.fqdn-policies.dns-namespace must not be empty");
        }
        labels(dnsSelector); // fails the start on a selector the policy could not carry
    }

    public CiliumFqdnPolicy.DnsPeer dnsPeer() {
        return new CiliumFqdnPolicy.DnsPeer(dnsNamespace, labels(dnsSelector));
    }

    static Map<String, String> labels(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : selector == null ? new String[0] : selector.split(",")) {
            String[] kv = pair.strip().split("=", 2);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw new IllegalArgumentException(
                        "liteboxd.fqdn-policies.dns-selector must be key=value[,key=value], not '" + selector + "'");
            }
            labels.put(kv[0].strip(), kv[1].strip());
        }
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("liteboxd.fqdn-policies.dns-selector must name at least one label");
        }
        return labels;
    }
}
