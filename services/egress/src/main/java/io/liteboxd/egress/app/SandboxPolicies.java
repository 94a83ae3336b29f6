package io.liteboxd.egress.app;

import io.liteboxd.egress.EgressPolicy;

/**
 * The proxy's source of policies, filled before the proxy listens: until then every sandbox
 * would look unknown and be denied. The informer over sandbox pods in a cluster; a fixed map in
 * tests.
 */
public interface SandboxPolicies extends EgressPolicy {

    /** Returns once the policies are complete (the informer has synced). */
    void sync() throws InterruptedException;
}
