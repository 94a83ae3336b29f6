package io.liteboxd.controller.reconcile;

import io.liteboxd.common.workqueue.Reconciler;
import io.liteboxd.controller.leader.Leadership;
import io.liteboxd.controller.workqueue.LeaderLoops;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API for its reconcile pass (DB rows against the cluster) once when this replica starts
 * leading (trigger {@code startup}: whatever happened while nobody watched) and then every
 * interval ({@code scheduled}), on the controller's work queue: one key, requeued after each
 * success, retried with backoff after a failure. The pass itself needs the database, which the
 * controller never opens, so it runs in whichever API replica the Service picks
 * ({@code POST /internal/v1/reconcile}, docs/contract.md).
 */
@Singleton
@Requires(beans = Leadership.class)
public class ReconcileTrigger implements Reconciler<String> {

    static final String KEY = "reconcile";
    private static final Logger LOG = LoggerFactory.getLogger(ReconcileTrigger.class);

    private final LeaderLoops loops;
    private final Leadership leadership;
    private final ReconcileTriggerSettings settings;
    private final HttpClient http;
    private final Counter runs;
    private final Counter failures;
    /** The first pass after becoming leader is the catch-up one. */
    private final AtomicBoolean catchUp = new AtomicBoolean(true);

    ReconcileTrigger(LeaderLoops loops, Leadership leadership, ReconcileTriggerSettings settings,
                     MeterRegistry registry) {
        this.loops = loops;
        this.leadership = leadership;
        this.settings = settings;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.runs = Counter.builder("liteboxd.controller.reconcile.triggers").tag("outcome", "ok")
                .description("Reconcile passes the controller asked the API for").register(registry);
        this.failures = Counter.builder("liteboxd.controller.reconcile.triggers").tag("outcome", "failed")
                .description("Reconcile passes the controller asked the API for").register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (!settings.enabled()) {
            LOG.warn("reconcile trigger off: API_INTERNAL_URL or LITEBOXD_INTERNAL_TOKEN not set");
            return;
        }
        leadership.addListener(() -> catchUp.set(true));
        loops.start("reconcile", 1, this, () -> List.of(KEY));
    }

    @Override
    public Result reconcile(String key) throws IOException, InterruptedException {
        String trigger = catchUp.get() ? "startup" : "scheduled";
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.apiUrl().replaceAll("/+$", "")
                        + "/internal/v1/reconcile?trigger=" + trigger))
                .timeout(settings.requestTimeout())
                .header("Authorization", "Bearer " + settings.token())
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            failures.increment();
            throw new IOException("the API answered " + response.statusCode() + " to the " + trigger + " reconcile");
        }
        catchUp.set(false);
        runs.increment();
        LOG.atInfo().addKeyValue("trigger", trigger).log("reconcile pass done: {}", response.body());
        return settings.interval().isZero() ? Result.done() : Result.at(Instant.now().plus(settings.interval()));
    }
}
