package io.liteboxd.api.sandbox;

import io.liteboxd.api.template.TemplateSpec;
import io.liteboxd.common.kubernetes.AllowedDomains;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a sandbox reaches the internet (docs/contract.md, issue 21): not at all; freely
 * ({@code liteboxd.io/internet-access=true}); or, with a domain allowlist, only through the
 * egress proxy ({@code liteboxd.io/egress=proxy}, the list in {@code liteboxd.io/allowed-domains},
 * and the standard proxy variables so curl, pip, npm, git and the JDK's, Python's and Node's
 * clients use it unchanged). Pure.
 */
final class SandboxEgress {

    /** Local addresses stay direct: a sandbox talking to itself must not go through the proxy. */
    static final String NO_PROXY = "localhost,127.0.0.1";

    private SandboxEgress() {}

    /** Free internet access: allowed and no allowlist (upstream's rule for the label). */
    static boolean open(TemplateSpec spec) {
        var network = spec.network();
        return network != null && network.allowInternetAccess() && domains(network).isEmpty();
    }

    /** Internet access limited to an allowlist: the egress proxy is the only way out. */
    static boolean viaProxy(TemplateSpec spec) {
        var network = spec.network();
        return network != null && network.allowInternetAccess() && !domains(network).isEmpty();
    }

    /** The {@code liteboxd.io/allowed-domains} value: the normalised list, as stored with the template. */
    static String allowedDomains(TemplateSpec spec) {
        return AllowedDomains.format(domains(spec.network()));
    }

    /**
     * The proxy variables of a sandbox that goes through the proxy, upper and lower case (tools
     * read one or the other); empty when it does not, or when the proxy is off ({@code proxyUrl}
     * empty: such a sandbox then has no way out at all, as before the proxy existed).
     */
    static Map<String, String> env(TemplateSpec spec, String proxyUrl) {
        if (!viaProxy(spec) || proxyUrl == null || proxyUrl.isEmpty()) {
            return Map.of();
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            env.put(name, proxyUrl);
        }
        env.put("NO_PROXY", NO_PROXY);
        env.put("no_proxy", NO_PROXY);
        return env;
    }

    private static List<String> domains(TemplateSpec.Network network) {
        return network == null || network.allowedDomains() == null ? List.of() : network.allowedDomains();
    }
}
