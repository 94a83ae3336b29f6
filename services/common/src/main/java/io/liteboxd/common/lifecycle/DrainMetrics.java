package io.liteboxd.common.lifecycle;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/**
 * The drain as gauges (Prometheus: {@code liteboxd_drain_active_requests},
 * {@code liteboxd_drain_active_sessions}, {@code liteboxd_draining}), so a rollout that waits
 * on long sessions is visible before the pod goes away. Micronaut binds every
 * {@link MeterBinder} bean to its registry.
 */
@Singleton
class DrainMetrics implements MeterBinder {

    private final Drain drain;

    DrainMetrics(Drain drain) {
        this.drain = drain;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("liteboxd.drain.active.requests", drain, Drain::activeRequests)
                .description("HTTP requests in flight (probes and management endpoints not counted)")
                .register(registry);
        Gauge.builder("liteboxd.drain.active.sessions", drain, Drain::activeSessions)
                .description("Long-lived sessions (WebSocket terminals, tunnels) a drain waits for")
                .register(registry);
        Gauge.builder("liteboxd.draining", drain, d -> d.isDraining() ? 1 : 0)
                .description("1 once the process has begun draining (SIGTERM), else 0")
                .register(registry);
    }
}
