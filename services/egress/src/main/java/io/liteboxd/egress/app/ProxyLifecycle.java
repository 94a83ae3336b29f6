package io.liteboxd.egress.app;

import io.liteboxd.common.lifecycle.Readiness;
import io.liteboxd.egress.EgressProxyServer;
import io.liteboxd.egress.JdkResolver;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the proxy for the life of the service. It listens only once the policies are complete
 * (on start-up, before the HTTP server, so {@code /readyz} is 503 until then); when a drain
 * begins (SIGTERM) it stops accepting while open connections go on, and the drain waits for them
 * ({@link OpenConnections}) within its budget; on shutdown whatever is still open is closed.
 */
@Singleton
class ProxyLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyLifecycle.class);

    private final SandboxPolicies policies;
    private final EgressSettings settings;
    private final EgressProxyServer proxy;
    private final Readiness readiness;
    private volatile int port;

    ProxyLifecycle(SandboxPolicies policies, EgressAuditTrail audit, EgressSettings settings, Readiness readiness) {
        this.policies = policies;
        this.settings = settings;
        this.readiness = readiness;
        this.proxy = new EgressProxyServer(policies, new JdkResolver(), audit, settings.proxySettings());
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        policies.sync();
        port = proxy.start(settings.port());
        readiness.onDrain(this::stopAccepting);
        LOG.atInfo().addKeyValue("port", port).addKeyValue("blocked_cidrs", settings.blockedCidrs())
                .addKeyValue("ports", settings.ports())
                .log("egress proxy listening on port {}, never connecting to {}", port, settings.blockedCidrs());
    }

    /** The bound port (the configured one; tests configure 0 and ask). */
    int port() {
        return port;
    }

    private void stopAccepting() {
        proxy.stopAccepting();
        LOG.info("draining: the egress proxy accepts no new connections, open ones may finish");
    }

    @PreDestroy
    void close() {
        proxy.close();
    }
}
