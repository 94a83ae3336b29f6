package io.liteboxd.egress.app;

import io.liteboxd.egress.Cidr;
import io.liteboxd.egress.EgressProxySettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code liteboxd.egress}: where the proxy listens, which sandboxes it serves and what it never
 * connects to. Checked here, at start-up, not with Bean Validation (which this service does not
 * otherwise need): a bad range or port would otherwise only show as refused or leaked traffic.
 *
 * @param namespace          the sandbox namespace, whose pods the informer watches
 * @param port               the proxy's port (HTTP {@code CONNECT} and plain HTTP), 3128 by default; 0 = any free one
 * @param blockedCidrs       ranges never connected to besides loopback, link-local, unspecified and
 *                           multicast: the cluster's pod and service ranges (the chart passes them)
 * @param ports              the destination ports every sandbox may reach (80 and 443)
 * @param connectTimeout     an upstream connect that takes longer is a 502
 * @param clientHelloTimeout a new tunnel waits this long for the client's TLS ClientHello
 * @param idleTimeout        a connection without bytes either way for this long is closed
 * @param recentCapacity     how many decisions (and traffic records) {@code /egress/recent} keeps
 */
@ConfigurationProperties("liteboxd.egress")
public record EgressSettings(
        String namespace,
        @Bindable(defaultValue = "3128") int port,
        @Nullable List<String> blockedCidrs,
        @Nullable List<Integer> ports,
        @Bindable(defaultValue = "10s") Duration connectTimeout,
        @Bindable(defaultValue = "30s") Duration clientHelloTimeout,
        @Bindable(defaultValue = "5m") Duration idleTimeout,
        @Bindable(defaultValue = "1000") int recentCapacity) {

    public EgressSettings {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("liteboxd.egress.namespace must be set");
        }
        if (port < 0 || port > 65535) { // 0: any free port (tests)
            throw new IllegalArgumentException("liteboxd.egress.port must be within 0 and 65535: " + port);
        }
        blockedCidrs = blockedCidrs == null ? List.of() : blockedCidrs.stream().map(String::trim)
                .filter(c -> !c.isEmpty()).toList();
        for (String cidr : blockedCidrs) {
            try {
                Cidr.parse(cidr);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("liteboxd.egress.blocked-cidrs: not a CIDR: " + cidr, e);
            }
        }
        ports = ports == null || ports.isEmpty() ? List.of(80, 443) : List.copyOf(ports);
        ports.forEach(p -> checkPort("ports", p));
        positive("connect-timeout", connectTimeout);
        positive("client-hello-timeout", clientHelloTimeout);
        positive("idle-timeout", idleTimeout);
        if (recentCapacity < 1) {
            throw new IllegalArgumentException("liteboxd.egress.recent-capacity must be positive");
        }
    }

    /** The destination ports, as a policy takes them. */
    public Set<Integer> portSet() {
        return Set.copyOf(ports);
    }

    /** The library's settings; loopback is always blocked in the service. */
    public EgressProxySettings proxySettings() {
        Set<Cidr> cidrs = new LinkedHashSet<>();
        blockedCidrs.forEach(c -> cidrs.add(Cidr.parse(c)));
        return new EgressProxySettings(cidrs, true, connectTimeout, clientHelloTimeout, idleTimeout);
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("liteboxd.egress." + name + " must be within 1 and 65535: " + port);
        }
    }

    private static void positive(String name, @Nullable Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("liteboxd.egress." + name + " must be positive");
        }
    }
}
