package io.liteboxd.common.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared buckets, as Prometheus scrapes them: exactly the listed edges, nothing in between. */
class LatencyHistogramTest {

    @Test
    void prometheusSeesTheFixedBucketsOnly() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer timer = LatencyHistogram.timer("liteboxd.test.latency", "test").register(registry);
        timer.record(Duration.ofMillis(80));
        timer.record(Duration.ofSeconds(45));

        String text = registry.scrape();
        List<String> buckets = text.lines().filter(l -> l.startsWith("liteboxd_test_latency_seconds_bucket")).toList();
        assertEquals(15, buckets.size(), text); // 14 edges and +Inf
        assertTrue(text.contains("liteboxd_test_latency_seconds_bucket{le=\"0.05\"} 0"), text);
        assertTrue(text.contains("liteboxd_test_latency_seconds_bucket{le=\"0.1\"} 1"), text);
        assertTrue(text.contains("liteboxd_test_latency_seconds_bucket{le=\"30.0\"} 1"), text);
        assertTrue(text.contains("liteboxd_test_latency_seconds_bucket{le=\"60.0\"} 2"), text);
        assertFalse(text.contains("quantile="), "no client-side percentiles: " + text);
    }

    @Test
    void bucketEdgesAreTheListedDurations() {
        Timer timer = LatencyHistogram.timer("t", "t").register(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        double[] edges = Arrays.stream(timer.takeSnapshot().histogramCounts())
                .mapToDouble(b -> b.bucket(TimeUnit.MILLISECONDS)).toArray();
        double[] expected = LatencyHistogram.BUCKETS.stream().mapToDouble(Duration::toMillis).toArray();
        assertEquals(Arrays.toString(expected), Arrays.toString(edges));
    }
}
