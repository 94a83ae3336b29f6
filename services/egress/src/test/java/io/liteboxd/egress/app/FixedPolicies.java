package io.liteboxd.egress.app;

import io.liteboxd.egress.Allowlist;
import io.liteboxd.egress.SandboxPolicy;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** Tests without a cluster: 127.0.0.1 is sandbox 1a2b3c4d, allowed pypi.org only; anything else is unknown. */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", value = "false")
class FixedPolicies implements SandboxPolicies {

    static final String SANDBOX = "1a2b3c4d";

    @Override
    public void sync() {}

    @Override
    public Optional<SandboxPolicy> lookup(InetAddress client) {
        return client.isLoopbackAddress() && client.getHostAddress().equals("127.0.0.1")
                ? Optional.of(new SandboxPolicy(SANDBOX, Allowlist.of(List.of("pypi.org"))))
                : Optional.empty();
    }
}
