package io.liteboxd.gateway.activity;

import io.kubernetes.client.openapi.ApiException;
import io.liteboxd.common.kubernetes.ActivityMarks;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.gateway.sandbox.GatewaySettings;
import io.liteboxd.gateway.sandbox.SandboxDeploymentCache;
import io.liteboxd.gateway.sandbox.SandboxPodCache;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's half of {@code liteboxd.io/last-activity} (docs/contract.md): each proxied request
 * to a persistent sandbox with an idle timeout counts, and an open tunnel counts for as long as it
 * is open (re-marked every interval, traffic or not: a quiet terminal is still in use). The
 * throttle is {@link ActivityMarks}, shared with the API; the patch runs off the event loop.
 */
@Singleton
@Requires(beans = SandboxPodCache.class)
public class GatewayActivity {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayActivity.class);

    private final ActivityMarks marks;
    private final SandboxDeploymentCache deployments;
    private final String namespace;
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tunnel-activity").daemon().factory());

    GatewayActivity(ActivityMarks marks, SandboxDeploymentCache deployments, GatewaySettings settings) {
        this.marks = marks;
        this.deployments = deployments;
        this.namespace = settings.namespace();
    }

    /** A request reached the sandbox: mark it, unless marked within the interval. */
    public void touch(String sandboxId) {
        Optional<Duration> idleTimeout = idleTimeout(sandboxId);
        if (idleTimeout.isEmpty()) {
            return; // ephemeral, or never suspended: nobody reads the mark
        }
        Instant now = Instant.now();
        if (!marks.claim(sandboxId, idleTimeout, now)) {
            return;
        }
        writers.execute(() -> {
            try {
                marks.write(namespace, sandboxId, now);
            } catch (ApiException e) {
                marks.release(sandboxId, now);
                LOG.debug("last-activity of {} not written: HTTP {}", sandboxId, e.getCode());
            }
        });
    }

    /** A tunnel opened: marks now and every interval until {@code ended} completes. */
    public void whileOpen(String sandboxId, CompletableFuture<?> ended) {
        Optional<Duration> idleTimeout = idleTimeout(sandboxId);
        if (idleTimeout.isEmpty()) {
            return;
        }
        touch(sandboxId);
        long every = ActivityMarks.interval(idleTimeout).toMillis();
        ScheduledFuture<?> repeat = timer.scheduleAtFixedRate(() -> touch(sandboxId), every, every, TimeUnit.MILLISECONDS);
        ended.whenComplete((v, e) -> repeat.cancel(false));
    }

    private Optional<Duration> idleTimeout(String sandboxId) {
        return deployments.persistent(sandboxId).flatMap(PersistentDeployment::idleTimeout);
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
        writers.shutdown();
    }
}
