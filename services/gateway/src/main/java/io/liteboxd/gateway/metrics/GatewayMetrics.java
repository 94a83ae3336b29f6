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
import java.util.function.Supplier;

/**
 * The gateway's own meters (Prometheus names):
 * {@code liteboxd_gateway_requests_seconds{status="2xx"|...}} for proxied and refused requests,
 * {@code liteboxd_gateway_upstream_errors_total{kind="connect"|"timeout"|"other"}} for pods that could
 * not be reached, {@code liteboxd_gateway_tunnels_active} for open WebSocket tunnels,
 * {@code liteboxd_gateway_tunnels_buffered_bytes} for the bytes they hold between their two sides,
 * {@code liteboxd_gateway_connections_open} and {@code liteboxd_gateway_connections_refused_total}
 * for client connections and those closed at once for being over the cap.
 */
@Singleton
public class GatewayMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> byStatus = new ConcurrentHashMap<>();
    private final Map<String, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final AtomicInteger tunnels = new AtomicInteger();
    private final Counter refusedConnections;

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("liteboxd.gateway.tunnels.active", tunnels, AtomicInteger::get)
                .description("Open WebSocket tunnels to sandboxes").register(registry);
        refusedConnections = Counter.builder("liteboxd.gateway.connections.refused")
                .description("Client connections closed at once: over liteboxd.gateway.max-connections")
                .register(registry);
    }

    public void tunnelBuffers(Supplier<Number> bytes) {
        Gauge.builder("liteboxd.gateway.tunnels.buffered", bytes).baseUnit("bytes")
                .description("Bytes tunnels hold between a read from one side and the write to the other")
                .register(registry);
    }

    public void connections(Supplier<Number> open) {
        Gauge.builder("liteboxd.gateway.connections.open", open)
                .description("Open client connections").register(registry);
    }

    public void connectionRefused() {
        refusedConnections.increment();
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
