package io.liteboxd.gateway.metrics;

import io.liteboxd.common.metrics.LatencyHistogram;
import io.micronaut.context.annotation.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
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
 * for client connections and those closed at once for being over the cap; and, with the shared
 * buckets ({@link LatencyHistogram}, docs/metrics.md), {@code liteboxd_gateway_request_seconds{kind="http"|"websocket"}}
 * for admitted requests as the client sees them (wake hold included) and
 * {@code liteboxd_gateway_upstream_seconds{kind}} for the sandbox's part of them. Built at startup
 * ({@code @Context}) so that every series is there from the first scrape.
 */
@Context
public class GatewayMetrics {

    /** What was proxied: a plain HTTP request, or a WebSocket upgrade (up to its 101, not the tunnel's life). */
    public enum Kind {
        HTTP, WEBSOCKET;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<String, Timer> byStatus = new ConcurrentHashMap<>();
    private final Map<String, Counter> upstreamErrors = new ConcurrentHashMap<>();
    private final AtomicInteger tunnels = new AtomicInteger();
    private final Counter refusedConnections;
    private final Map<Kind, Timer> proxied = new EnumMap<>(Kind.class);
    private final Map<Kind, Timer> upstream = new EnumMap<>(Kind.class);

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Kind kind : Kind.values()) {
            proxied.put(kind, LatencyHistogram.timer("liteboxd.gateway.request",
                    "Admitted sandbox requests until the response headers (HTTP) or the 101 (WebSocket), wake hold included")
                    .tag("kind", kind.wire()).register(registry));
            upstream.put(kind, LatencyHistogram.timer("liteboxd.gateway.upstream",
                    "From sending to the sandbox until its response headers or its upgrade answer")
                    .tag("kind", kind.wire()).register(registry));
        }
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

    /** An admitted request answered (by the sandbox, or with 502/504 for it), {@code startNanos} after it arrived. */
    public void proxied(Kind kind, long startNanos) {
        proxied.get(kind).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /** The sandbox answered, {@code sentNanos} after the gateway started sending to it. */
    public void upstream(Kind kind, long sentNanos) {
        upstream.get(kind).record(System.nanoTime() - sentNanos, TimeUnit.NANOSECONDS);
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
