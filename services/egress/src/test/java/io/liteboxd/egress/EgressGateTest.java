package io.liteboxd.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decision itself, without a network: policy, host, port, resolution, address checks. */
class EgressGateTest {

    private static final InetSocketAddress SANDBOX = new InetSocketAddress(ip("10.244.0.7"), 51000);
    private static final SandboxPolicy POLICY = new SandboxPolicy("sbx-1",
            Allowlist.of(List.of("pypi.org", "*.example.com", "local.test", "meta.test", "pod.test", "mixed.test",
                    "gone.test", "v6.test")));
    private static final Map<String, List<InetAddress>> DNS = Map.of(
            "pypi.org", List.of(ip("151.101.0.223"), ip("151.101.64.223")),
            "a.example.com", List.of(ip("93.184.216.34")),
            "local.test", List.of(ip("127.0.0.1")),
            "meta.test", List.of(ip("169.254.169.254")),
            "pod.test", List.of(ip("10.244.1.9")),
            "mixed.test", List.of(ip("93.184.216.34"), ip("10.96.0.1")),
            "v6.test", List.of(ip("fe80::1")));

    private final EgressGate gate = gate(client -> client.equals(SANDBOX.getAddress()) ? Optional.of(POLICY)
            : Optional.empty());

    @Test
    void anAllowedNameGoesToItsFirstAddress() {
        EgressGate.Verdict verdict = gate.decide(SANDBOX, new HostPort("pypi.org", 443));
        assertEquals(new EgressDecision(SANDBOX, "sbx-1", "pypi.org", 443, true, EgressDecision.ALLOWED),
                verdict.decision());
        assertEquals(ip("151.101.0.223"), verdict.address());
        assertEquals(0, verdict.status());
        assertTrue(gate.decide(SANDBOX, new HostPort("a.example.com", 80)).decision().allowed());
    }

    @Test
    void anUnknownClientIsDeniedEverything() {
        InetSocketAddress stranger = new InetSocketAddress(ip("10.244.0.8"), 51000);
        EgressGate.Verdict verdict = gate.decide(stranger, new HostPort("pypi.org", 443));
        assertEquals(new EgressDecision(stranger, null, "pypi.org", 443, false, EgressDecision.UNKNOWN_CLIENT),
                verdict.decision());
        assertEquals(403, verdict.status());

        EgressGate broken = gate(client -> {
            throw new IllegalStateException("informer not synced");
        });
        assertEquals(EgressDecision.UNKNOWN_CLIENT, broken.decide(SANDBOX, new HostPort("pypi.org", 443))
                .decision().reason(), "a failing lookup fails closed");
    }

    @Test
    void namesOnly() {
        assertDenied("151.101.0.223", 443, EgressDecision.IP_LITERAL);
        assertDenied("::1", 443, EgressDecision.IP_LITERAL);
        assertDenied("2130706433", 80, EgressDecision.NOT_A_NAME); // 127.0.0.1 to some resolvers
        assertDenied("127.1", 80, EgressDecision.NOT_A_NAME);
        assertDenied("pypi.org\0.example.com", 443, EgressDecision.NOT_A_NAME);
    }

    @Test
    void theAllowlistAndThePorts() {
        assertDenied("evil.test", 443, EgressDecision.HOST_NOT_ALLOWED);
        assertDenied("example.com", 443, EgressDecision.HOST_NOT_ALLOWED);
        assertDenied("pypi.org", 22, EgressDecision.PORT_NOT_ALLOWED);
    }

    @Test
    void aNameThatDoesNotResolveIsABadGateway() {
        EgressGate.Verdict verdict = gate.decide(SANDBOX, new HostPort("gone.test", 443));
        assertEquals(EgressDecision.UNRESOLVED, verdict.decision().reason());
        assertEquals(502, verdict.status());
        assertNull(verdict.address());
    }

    @Test
    void addressesInsideAreNeverConnectedTo() {
        assertDenied("local.test", 443, EgressDecision.BLOCKED_ADDRESS + ": 127.0.0.1 (loopback)");
        assertDenied("meta.test", 80, EgressDecision.BLOCKED_ADDRESS + ": 169.254.169.254 (link-local)");
        assertDenied("v6.test", 80, EgressDecision.BLOCKED_ADDRESS + ": fe80:0:0:0:0:0:0:1 (link-local)");
        assertDenied("pod.test", 443, EgressDecision.BLOCKED_ADDRESS + ": 10.244.1.9 (in 10.244.0.0/16)");
        assertDenied("mixed.test", 443, EgressDecision.BLOCKED_ADDRESS + ": 10.96.0.1 (in 10.96.0.0/12)");
    }

    @Test
    void loopbackCanBeLetThroughForTests() {
        EgressGate lenient = new EgressGate(client -> Optional.of(POLICY), DNS_RESOLVER, new AddressGuard(Set.of(), false));
        assertTrue(lenient.decide(SANDBOX, new HostPort("local.test", 443)).decision().allowed());
        assertEquals(EgressDecision.BLOCKED_ADDRESS + ": 169.254.169.254 (link-local)",
                lenient.decide(SANDBOX, new HostPort("meta.test", 443)).decision().reason(), "link-local still blocked");
    }

    private void assertDenied(String host, int port, String reason) {
        EgressGate.Verdict verdict = gate.decide(SANDBOX, new HostPort(host, port));
        assertEquals(new EgressDecision(SANDBOX, "sbx-1", host, port, false, reason), verdict.decision(), host);
        assertEquals(403, verdict.status(), host);
        assertNull(verdict.address(), host);
    }

    private static final Resolver DNS_RESOLVER = host -> {
        List<InetAddress> addresses = DNS.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    };

    private static EgressGate gate(EgressPolicy policy) {
        return new EgressGate(policy, DNS_RESOLVER,
                new AddressGuard(Set.of(Cidr.parse("10.244.0.0/16"), Cidr.parse("10.96.0.0/12")), true));
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no DNS
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
