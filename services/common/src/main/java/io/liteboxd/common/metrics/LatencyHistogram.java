package io.liteboxd.common.metrics;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;

/**
 * The one bucket layout of LiteBoxd's latency histograms (create, time to running, exec,
 * terminal attach, gateway request and upstream; docs/metrics.md). Fixed buckets rather than
 * Micrometer's percentile histogram: 15 series per tag set instead of ~70, the same {@code le}
 * values in every service so PromQL can aggregate across them, and edges at the SLO
 * (100 ms, 300 ms) so {@code histogram_quantile} is exact where it matters.
 */
public final class LatencyHistogram {

    /** 5 ms … 60 s; everything above lands in {@code +Inf}. */
    public static final List<Duration> BUCKETS = List.of(
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60));

    private LatencyHistogram() {
    }

    /** A timer builder with these buckets and no client-side percentiles; add tags and register. */
    public static Timer.Builder timer(String name, String description) {
        return Timer.builder(name).description(description)
                .publishPercentileHistogram(false)
                .serviceLevelObjectives(BUCKETS.toArray(Duration[]::new));
    }
}
