package io.liteboxd.egress.app;

import io.liteboxd.egress.EgressDecision;
import io.liteboxd.egress.EgressTraffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;

/**
 * The proxy's meters (Prometheus names): {@code liteboxd_egress_requests_total{decision,reason}}
 * (reason without details, {@link Decision#reasonKind}), {@code liteboxd_egress_bytes_up_total}
 * and {@code liteboxd_egress_bytes_down_total} (bytes of allowed requests, counted when they end),
 * and {@code liteboxd_egress_tunnels_open} (allowed connections still open, {@link OpenConnections}).
 * No per-sandbox or per-host label: those are in the audit log, whose lines do not multiply series.
 */
@Context
class EgressMetrics {

    private final MeterRegistry registry;
    private final Counter bytesUp;
    private final Counter bytesDown;

    EgressMetrics(MeterRegistry registry, OpenConnections open) {
        this.registry = registry;
        this.bytesUp = Counter.builder("liteboxd.egress.bytes.up")
                .description("Bytes sandboxes sent through the egress proxy (allowed requests, when they end)")
                .register(registry);
        this.bytesDown = Counter.builder("liteboxd.egress.bytes.down")
                .description("Bytes sandboxes received through the egress proxy (allowed requests, when they end)")
                .register(registry);
        // The series a dashboard looks for first, there before any request.
        requests(Decision.ALLOWED, EgressDecision.ALLOWED);
        requests(Decision.DENIED, EgressDecision.HOST_NOT_ALLOWED);
        registry.gauge("liteboxd.egress.tunnels.open", open, OpenConnections::count);
    }

    void decided(EgressDecision decision) {
        requests(Decision.of(decision), Decision.reasonKind(decision)).increment();
    }

    void finished(EgressTraffic traffic) {
        bytesUp.increment(traffic.bytesUp());
        bytesDown.increment(traffic.bytesDown());
    }

    private Counter requests(Decision decision, String reason) {
        return Counter.builder("liteboxd.egress.requests")
                .description("Egress proxy decisions, by decision and reason")
                .tag("decision", decision.wire())
                .tag("reason", reason)
                .register(registry);
    }
}
