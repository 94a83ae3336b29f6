package io.liteboxd.gateway.proxy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Header rules of a forwarding proxy (RFC 9110 §7.6.1). What the gateway takes out for security
 * (the control plane's credentials) is {@code CredentialFilter}'s job.
 */
final class ProxyHeaders {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED_HOST = "X-Forwarded-Host";

    /** Meaningful for one connection only, never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private ProxyHeaders() {}

    /** Removes hop-by-hop headers, including those the Connection header names. */
    static void stripHopByHop(MutableHttpHeaders headers) {
        List<String> named = new ArrayList<>();
        for (String value : headers.getAll(HttpHeaders.CONNECTION)) {
            for (String token : value.split(",")) {
                if (!token.isBlank()) {
                    named.add(token.trim());
                }
            }
        }
        named.forEach(headers::remove);
        List<String> present = new ArrayList<>(headers.names());
        for (String name : present) {
            if (HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                headers.remove(name);
            }
        }
    }

    /** Appends the client to X-Forwarded-For and fills X-Forwarded-Proto/Host unless a proxy in front did. */
    static void addForwarded(MutableHttpHeaders headers, String clientAddress, String scheme, @Nullable String host) {
        String chain = headers.get(FORWARDED_FOR);
        headers.set(FORWARDED_FOR, chain == null || chain.isBlank() ? clientAddress : chain + ", " + clientAddress);
        if (headers.get(FORWARDED_PROTO) == null) {
            headers.set(FORWARDED_PROTO, scheme);
        }
        if (headers.get(FORWARDED_HOST) == null && host != null) {
            headers.set(FORWARDED_HOST, host);
        }
    }
}
