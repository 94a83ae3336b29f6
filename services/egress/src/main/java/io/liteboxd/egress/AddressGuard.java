package io.liteboxd.egress;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;

/**
 * The addresses the proxy never connects to, whatever name resolved to them: a sandbox must not
 * reach the control plane, the node or the cloud's metadata service through the proxy just
 * because an allowed domain (or a DNS answer it controls) points there.
 */
final class AddressGuard {

    private final Set<Cidr> blocked;
    private final boolean blockLoopback;

    /**
     * @param blocked       ranges to refuse besides the built-in ones (pod, service and node ranges)
     * @param blockLoopback refuse 127.0.0.0/8 and ::1; only tests, whose upstreams listen on
     *                      loopback, turn this off
     */
    AddressGuard(Set<Cidr> blocked, boolean blockLoopback) {
        this.blocked = Set.copyOf(blocked);
        this.blockLoopback = blockLoopback;
    }

    /** Why the proxy must not connect to {@code address}; empty when it may. */
    Optional<String> whyBlocked(InetAddress address) {
        if (blockLoopback && address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isLinkLocalAddress()) {
            // 169.254.0.0/16 and fe80::/10: among them the metadata service, 169.254.169.254.
            return Optional.of("link-local");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified"); // 0.0.0.0 reaches the proxy's own host
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        for (Cidr range : blocked) {
            if (range.contains(address)) {
                return Optional.of("in " + range);
            }
        }
        return Optional.empty();
    }
}
