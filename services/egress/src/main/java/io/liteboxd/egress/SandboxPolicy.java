package io.liteboxd.egress;

import java.util.Objects;
import java.util.Set;

/**
 * What one sandbox may reach through the proxy.
 *
 * @param sandboxId the sandbox, as the audit names it
 * @param allowlist the domains it may reach
 * @param ports     the destination ports it may reach (HTTP and HTTPS unless its template says more)
 */
public record SandboxPolicy(String sandboxId, Allowlist allowlist, Set<Integer> ports) {

    /** Plain HTTP and HTTPS. */
    public static final Set<Integer> DEFAULT_PORTS = Set.of(80, 443);

    public SandboxPolicy {
        Objects.requireNonNull(sandboxId, "sandboxId");
        Objects.requireNonNull(allowlist, "allowlist");
        ports = Set.copyOf(ports);
    }

    public SandboxPolicy(String sandboxId, Allowlist allowlist) {
        this(sandboxId, allowlist, DEFAULT_PORTS);
    }
}
