package io.liteboxd.egress;

import java.time.Duration;
import java.util.Set;

/**
 * How the proxy behaves beyond each sandbox's policy.
 *
 * @param blockedCidrs       ranges never connected to besides loopback, link-local (metadata),
 *                           unspecified and multicast: the cluster's pod, service and node ranges
 * @param blockLoopback      refuse loopback addresses; on except in tests, whose upstreams are local
 * @param connectTimeout     how long an upstream connect may take before the client gets a 502
 * @param clientHelloTimeout how long a new tunnel waits for the client's first bytes (the TLS
 *                           ClientHello whose SNI is checked) before it is closed
 * @param idleTimeout        a connection with no bytes either way for this long is closed
 */
public record EgressProxySettings(Set<Cidr> blockedCidrs, boolean blockLoopback, Duration connectTimeout,
        Duration clientHelloTimeout, Duration idleTimeout) {

    public EgressProxySettings {
        blockedCidrs = Set.copyOf(blockedCidrs);
    }

    public static EgressProxySettings defaults() {
        return new EgressProxySettings(Set.of(), true, Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofMinutes(5));
    }

    public EgressProxySettings withBlockedCidrs(Set<Cidr> cidrs) {
        return new EgressProxySettings(cidrs, blockLoopback, connectTimeout, clientHelloTimeout, idleTimeout);
    }

    /** For tests only: their upstreams listen on 127.0.0.1. */
    public EgressProxySettings withLoopbackAllowed() {
        return new EgressProxySettings(blockedCidrs, false, connectTimeout, clientHelloTimeout, idleTimeout);
    }
}
