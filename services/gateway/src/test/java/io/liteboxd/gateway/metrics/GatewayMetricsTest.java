package io.liteboxd.gateway.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.gateway.metrics.GatewayMetrics.Kind;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The request and upstream histograms: one per kind, both there before any request, shared buckets. */
class GatewayMetricsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final GatewayMetrics metrics = new GatewayMetrics(registry);

    @Test
    void requestAndUpstreamAreTimedByKind() {
        for (String name : new String[] {"liteboxd.gateway.request", "liteboxd.gateway.upstream"}) {
            for (Kind kind : Kind.values()) {
                assertEquals(0, timer(name, kind).count(), name + " " + kind.wire() + " exists from the start");
            }
        }
        long start = System.nanoTime() - Duration.ofMillis(150).toNanos();
        metrics.proxied(Kind.HTTP, start);
        metrics.upstream(Kind.WEBSOCKET, start);

        Timer request = timer("liteboxd.gateway.request", Kind.HTTP);
        assertEquals(1, request.count());
        assertEquals(0, timer("liteboxd.gateway.request", Kind.WEBSOCKET).count());
        assertEquals(1, timer("liteboxd.gateway.upstream", Kind.WEBSOCKET).count());
        assertEquals(0, timer("liteboxd.gateway.upstream", Kind.HTTP).count());
        double[] edges = Arrays.stream(request.takeSnapshot().histogramCounts())
                .mapToDouble(b -> b.bucket(TimeUnit.MILLISECONDS)).toArray();
        assertEquals("[5.0, 10.0, 25.0, 50.0, 100.0, 200.0, 300.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0, 30000.0, 60000.0]",
                Arrays.toString(edges));
        assertEquals(0, countAt(request, 100), "150 ms is above the 100 ms edge");
        assertEquals(1, countAt(request, 200), "and at or below the 200 ms one");
    }

    private Timer timer(String name, Kind kind) {
        return registry.get(name).tag("kind", kind.wire()).timer();
    }

    private static double countAt(Timer timer, double edgeMillis) {
        return Arrays.stream(timer.takeSnapshot().histogramCounts())
                .filter(b -> b.bucket(TimeUnit.MILLISECONDS) == edgeMillis).findFirst().orElseThrow().count();
    }
}
