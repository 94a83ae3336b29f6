package io.liteboxd.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.liteboxd.api.sandbox.CreatePath;
import io.liteboxd.common.metrics.LatencyHistogram;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Names, tags and buckets of the API's meters, on a plain registry. */
class SandboxMetricsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final SandboxMetrics metrics = new SandboxMetrics(registry);

    @Test
    void createsAreTimedByPathAndBothPathsExistBeforeTheFirstCreate() {
        assertEquals(0, timer(SandboxMetrics.CREATE, "path", "pool").count());
        assertEquals(0, timer(SandboxMetrics.CREATE, "path", "cold").count());

        metrics.created(CreatePath.POOL, Duration.ofMillis(40));
        metrics.created(CreatePath.COLD, Duration.ofMillis(900));
        metrics.created(CreatePath.COLD, Duration.ofMillis(1500));

        Timer pool = timer(SandboxMetrics.CREATE, "path", "pool");
        assertEquals(1, pool.count());
        assertEquals(40, pool.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(2, timer(SandboxMetrics.CREATE, "path", "cold").count());
        assertEquals(1, bucketCount(pool, Duration.ofMillis(50)));
        assertEquals(0, bucketCount(pool, Duration.ofMillis(25)));
    }

    @Test
    void failedCreatesAreCountedByStatusClassOutsideTheHistogram() {
        metrics.createFailed(404);
        metrics.createFailed(429);
        metrics.createFailed(500);
        metrics.createFailed(0);

        assertEquals(2, registry.get(SandboxMetrics.CREATE_FAILURES).tag("status", "4xx").counter().count());
        assertEquals(2, registry.get(SandboxMetrics.CREATE_FAILURES).tag("status", "5xx").counter().count());
        assertEquals(0, timer(SandboxMetrics.CREATE, "path", "cold").count());
    }

    @Test
    void poolClaimsAreCountedPerTemplateAndResult() {
        assertNull(registry.find(SandboxMetrics.POOL_CLAIMS).counter(), "no template, no series");
        metrics.poolHit("python");
        metrics.poolHit("python");
        metrics.poolMiss("python");
        metrics.poolMiss("node");

        assertEquals(2, claims("python", "hit"));
        assertEquals(1, claims("python", "miss"));
        assertEquals(1, claims("node", "miss"));
        assertNull(registry.find(SandboxMetrics.POOL_CLAIMS).tags("template", "node", "result", "hit").counter());
    }

    @Test
    void timeToRunningExecAndTerminalAttachAreUntaggedHistograms() {
        metrics.timeToRunning(Duration.ofMillis(931));
        metrics.exec(Duration.ofMillis(12));
        metrics.exec(Duration.ofSeconds(45));
        metrics.terminalAttached(Duration.ofMillis(180));

        Timer running = registry.get(SandboxMetrics.TIME_TO_RUNNING).timer();
        assertEquals(0, running.getId().getTags().size());
        assertEquals(1, running.count());
        assertEquals(0, bucketCount(running, Duration.ofMillis(500)));
        assertEquals(1, bucketCount(running, Duration.ofSeconds(1)));

        Timer exec = registry.get(SandboxMetrics.EXEC).timer();
        assertEquals(2, exec.count());
        assertEquals(1, bucketCount(exec, Duration.ofMillis(25)));
        assertEquals(1, bucketCount(exec, Duration.ofSeconds(30)), "45 s is above the 30 s edge");
        assertEquals(2, bucketCount(exec, Duration.ofSeconds(60)));

        assertEquals(1, bucketCount(registry.get(SandboxMetrics.TERMINAL_ATTACH).timer(), Duration.ofMillis(200)));
    }

    @Test
    void everyHistogramHasTheSharedBuckets() {
        for (String name : new String[] {SandboxMetrics.CREATE, SandboxMetrics.TIME_TO_RUNNING, SandboxMetrics.EXEC,
                SandboxMetrics.TERMINAL_ATTACH}) {
            for (Timer timer : registry.get(name).timers()) {
                double[] edges = Arrays.stream(timer.takeSnapshot().histogramCounts())
                        .mapToDouble(b -> b.bucket(TimeUnit.MILLISECONDS)).toArray();
                assertEquals(Arrays.toString(LatencyHistogram.BUCKETS.stream().mapToDouble(Duration::toMillis).toArray()),
                        Arrays.toString(edges), name);
            }
        }
    }

    private Timer timer(String name, String tag, String value) {
        return registry.get(name).tag(tag, value).timer();
    }

    private double claims(String template, String result) {
        return registry.get(SandboxMetrics.POOL_CLAIMS).tags("template", template, "result", result).counter().count();
    }

    /** Cumulative count at the bucket whose upper edge is {@code edge}. */
    private static double bucketCount(Timer timer, Duration edge) {
        return Arrays.stream(timer.takeSnapshot().histogramCounts())
                .filter(b -> b.bucket(TimeUnit.NANOSECONDS) == edge.toNanos())
                .findFirst().orElseThrow(() -> new AssertionError("no bucket at " + edge)).count();
    }
}
