package io.liteboxd.egress;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which sandbox is asking, told by the address its connection comes from (the service answers
 * from an informer over sandbox pods, keyed by pod IP: {@code app.PodPolicyIndex}). Called for every request, from
 * several threads at once, off the network threads; it should answer from memory.
 */
@FunctionalInterface
public interface EgressPolicy {

    /**
     * The policy of the sandbox at {@code client}; empty when the address is no known sandbox,
     * which the proxy answers by denying everything (fail closed). An exception counts as empty.
     */
    Optional<SandboxPolicy> lookup(InetAddress client);
}
