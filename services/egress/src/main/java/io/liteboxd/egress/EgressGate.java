package io.liteboxd.egress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a request may leave, and for where: the sandbox's policy, then the host and
 * port against it, then the addresses the host resolves to. Blocking (it resolves): the proxy
 * calls it off its network threads. Checking the addresses here and handing the checked one to
 * the connect means a DNS answer cannot change between the check and the use.
 */
final class EgressGate {

    /**
     * A decision before the upstream connection: when allowed, where to connect; when not, the
     * status the client is answered with (403 for the policy, 502 for a name that does not
     * resolve).
     */
    record Verdict(EgressDecision decision, InetAddress address, int status) {}

    private final EgressPolicy policy;
    private final Resolver resolver;
    private final AddressGuard guard;

    EgressGate(EgressPolicy policy, Resolver resolver, AddressGuard guard) {
        this.policy = policy;
        this.resolver = resolver;
        this.guard = guard;
    }

    Verdict decide(InetSocketAddress client, HostPort target) {
        String host = target.host();
        Optional<SandboxPolicy> found = lookup(client);
        if (found.isEmpty()) {
            EgressDecision unknown = new EgressDecision(client, null, host, target.port(), false,
                    EgressDecision.UNKNOWN_CLIENT);
            return new Verdict(unknown, null, 403);
        }
        SandboxPolicy sandbox = found.get();
        EgressDecision request = new EgressDecision(client, sandbox.sandboxId(), host, target.port(), true,
                EgressDecision.ALLOWED);
        if (Hosts.isIpLiteral(host)) {
            return denied(request, EgressDecision.IP_LITERAL);
        }
        if (!Hosts.isName(host)) {
            return denied(request, EgressDecision.NOT_A_NAME);
        }
        if (!sandbox.allowlist().allows(host)) {
            return denied(request, EgressDecision.HOST_NOT_ALLOWED);
        }
        if (!sandbox.ports().contains(target.port())) {
            return denied(request, EgressDecision.PORT_NOT_ALLOWED);
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException | RuntimeException e) {
            addresses = List.of();
        }
        if (addresses.isEmpty()) {
            return new Verdict(request.denied(EgressDecision.UNRESOLVED), null, 502);
        }
        // Any blocked address refuses the name, not only the first: an answer that mixes a public
        // address with an internal one is an attempt, and the next lookup may put it first.
        for (InetAddress address : addresses) {
            Optional<String> why = guard.whyBlocked(address);
            if (why.isPresent()) {
                return denied(request,
                        EgressDecision.BLOCKED_ADDRESS + ": " + address.getHostAddress() + " (" + why.get() + ")");
            }
        }
        return new Verdict(request, addresses.getFirst(), 0);
    }

    private Optional<SandboxPolicy> lookup(InetSocketAddress client) {
        try {
            return policy.lookup(client.getAddress());
        } catch (RuntimeException e) {
            return Optional.empty(); // fail closed
        }
    }

    private static Verdict denied(EgressDecision request, String reason) {
        return new Verdict(request.denied(reason), null, 403);
    }
}
