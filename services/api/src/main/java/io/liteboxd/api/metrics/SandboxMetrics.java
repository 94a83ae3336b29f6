package io.liteboxd.api.metrics;

import io.liteboxd.api.sandbox.CreatePath;
import io.liteboxd.common.metrics.LatencyHistogram;
import io.micronaut.context.annotation.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The API's latency and pool meters (Prometheus names; buckets {@link LatencyHistogram}; docs/metrics.md):
 * <ul>
 *   <li>{@code liteboxd_sandbox_create_seconds{path="pool"|"cold"}}: successful {@code POST /sandboxes};</li>
 *   <li>{@code liteboxd_sandbox_create_failures_total{status="4xx"|"5xx"}}: the ones that failed
 *       (kept out of the histogram, where a fast 404 would pull the create latency down);</li>
 *   <li>{@code liteboxd_sandbox_time_to_running_seconds}: row created → first seen running, once per sandbox;</li>
 *   <li>{@code liteboxd_exec_seconds}: completed non-interactive execs, end to end;</li>
 *   <li>{@code liteboxd_terminal_attach_seconds}: WebSocket open → exec stream attached;</li>
 *   <li>{@code liteboxd_pool_claims_total{template, result="hit"|"miss"}}: warm-pool claims.</li>
 * </ul>
 * The untagged histograms and both create paths are registered up front, and the bean is built
 * at startup ({@code @Context}, not on the first create), so their series exist (at 0) from the
 * first scrape and dashboards show 0 rather than "no data".
 */
@Context
public class SandboxMetrics {

    static final String CREATE = "liteboxd.sandbox.create";
    static final String CREATE_FAILURES = "liteboxd.sandbox.create.failures";
    static final String TIME_TO_RUNNING = "liteboxd.sandbox.time.to.running";
    static final String EXEC = "liteboxd.exec";
    static final String TERMINAL_ATTACH = "liteboxd.terminal.attach";
    static final String POOL_CLAIMS = "liteboxd.pool.claims";

    private final MeterRegistry registry;
    private final Map<CreatePath, Timer> created = new EnumMap<>(CreatePath.class);
    private final Timer timeToRunning;
    private final Timer exec;
    private final Timer terminalAttach;

    public SandboxMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (CreatePath path : CreatePath.values()) {
            created.put(path, LatencyHistogram.timer(CREATE, "Successful POST /api/v1/sandboxes, by how the sandbox was made")
                    .tag("path", path.wire()).register(registry));
        }
        timeToRunning = LatencyHistogram.timer(TIME_TO_RUNNING,
                "From a sandbox's creation to the first time the API sees it running").register(registry);
        exec = LatencyHistogram.timer(EXEC, "Non-interactive exec requests that ran, end to end").register(registry);
        terminalAttach = LatencyHistogram.timer(TERMINAL_ATTACH,
                "From a terminal's WebSocket upgrade to its exec stream being attached").register(registry);
    }

    /** A {@code POST /sandboxes} that answered 201 after {@code took}. */
    public void created(CreatePath path, Duration took) {
        created.get(path).record(took);
    }

    /** A {@code POST /sandboxes} that failed with {@code status} (an HTTP code; anything not 4xx counts as 5xx). */
    public void createFailed(int status) {
        String statusClass = status >= 400 && status < 500 ? "4xx" : "5xx";
        Counter.builder(CREATE_FAILURES).description("POST /api/v1/sandboxes that did not create a sandbox")
                .tag("status", statusClass).register(registry).increment();
    }

    /** A sandbox seen running for the first time, {@code took} after its row was created. */
    public void timeToRunning(Duration took) {
        // A clock step between replicas can make this negative; Micrometer drops negative durations anyway.
        timeToRunning.record(took);
    }

    public void exec(Duration took) {
        exec.record(took);
    }

    public void terminalAttached(Duration took) {
        terminalAttach.record(took);
    }

    /** A create served from {@code template}'s warm pool. */
    public void poolHit(String template) {
        poolClaim(template, "hit");
    }

    /** A create that wanted {@code template}'s pool but found no ready pod (and went cold). */
    public void poolMiss(String template) {
        poolClaim(template, "miss");
    }

    private void poolClaim(String template, String result) {
        // Micrometer caches meters by id: registering again returns the existing counter.
        Counter.builder(POOL_CLAIMS).description("Warm-pool claims by template: hit (a ready pod taken) or miss")
                .tag("template", template).tag("result", result).register(registry).increment();
    }
}
