package io.liteboxd.api.auth;

import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;

/**
 * Which address a request comes from, for login throttling. The direct peer, unless the peer is a
 * trusted proxy ({@code AUTH_TRUSTED_PROXIES}); then {@code X-Forwarded-For} is read from the
 * right and the first entry that is not itself a trusted proxy is the client. Entries left of it
 * are whatever the client chose to send and are never believed, so a client cannot pick its own
 * throttling key by sending the header itself.
 */
final class ClientAddress {

    /** Longer entries are cut: the address is a map key and must not be a way to spend memory. */
    static final int MAX_LENGTH = 64;

    private ClientAddress() {}

    /**
     * @param peer         the TCP peer's address (numeric), null if unknown
     * @param forwardedFor every {@code X-Forwarded-For} header value, in order
     */
    static String resolve(@Nullable String peer, List<String> forwardedFor, IpRanges trusted) {
        if (peer == null || !trusted.contains(peer)) {
            return peer == null ? "unknown" : peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String entry : header.split(",")) {
                if (!entry.isBlank()) {
                    hops.add(withoutPort(entry.trim()));
                }
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            if (!trusted.contains(hops.get(i))) {
                return cut(hops.get(i));
            }
        }
        // Every hop is a trusted proxy: the request started inside; the first hop is as near the
        // client as we can get.
        return hops.isEmpty() ? peer : cut(hops.getFirst());
    }

    /** {@code 1.2.3.4:5678} → {@code 1.2.3.4}, {@code [2001:db8::1]:443} → {@code 2001:db8::1}. */
    static String withoutPort(String entry) {
        if (entry.startsWith("[")) {
            int end = entry.indexOf(']');
            return end > 0 ? entry.substring(1, end) : entry;
        }
        int colon = entry.indexOf(':');
        if (colon > 0 && colon == entry.lastIndexOf(':') && entry.indexOf('.') > 0) {
            return entry.substring(0, colon);
        }
        return entry;
    }

    private static String cut(String address) {
        return address.length() > MAX_LENGTH ? address.substring(0, MAX_LENGTH) : address;
    }
}
