package io.liteboxd.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own meters (Prometheus names):
 * {@code liteboxd_gateway_requests_seconds{status="2xx"|...}} for proxied and refused requests,
 * {@code liteboxd_gateway_upstream_errors_total{kind="connect"|"timeout"|"other"}} for pods that could
 * not be reached, {@code liteboxd_gateway_tunnels_active} for open WebSocket tunnels.
 */
@Singleton
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> byStatus = new ConcurrentHashMap<>();
    private final Map<String, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final AtomicInteger tunnels = new AtomicInteger();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("liteboxd.gateway.tunnels.active", tunnels, AtomicInteger::get)
                .description("Open WebSocket tunnels to sandboxes").register(registry);
    }

    public void request(int status, long startNanos) {
        String statusClass = (status / 100) + "xx";
        byStatus.computeIfAbsent(statusClass, c -> Timer.builder("liteboxd.gateway.requests")
                        .description("Requests to sandbox ports, by status class").tag("status", c)
                        .publishPercentileHistogram().register(registry))
                .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public void upstreamError(String kind) {
        upstreamErrors.computeIfAbsent(kind, k -> Counter.builder("liteboxd.gateway.upstream.errors")
                .description("Sandbox pods that could not be reached").tag("kind", k).register(registry)).increment();
    }

    public void tunnelOpened() {
        tunnels.incrementAndGet();
    }

    public void tunnelClosed() {
        tunnels.decrementAndGet();
    }
}
