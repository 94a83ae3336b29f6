package io.liteboxd.controller.workqueue;

import io.liteboxd.common.workqueue.ReconcileLoop;
import io.liteboxd.common.workqueue.Reconciler;
import io.liteboxd.common.workqueue.WorkQueue;
import io.liteboxd.controller.ControllerSettings;
import io.liteboxd.controller.leader.Leadership;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's reconcile loops, one per kind of background work, all on the same terms: keys
 * are informer cache keys ({@code namespace/name}); only the leader acts (a standby's workers take
 * and drop keys, so its queue stays empty); whoever starts leading requeues every cached key, so
 * deadlines that passed while nobody led are due at once. A failed reconcile retries after the
 * Lease's retry period, doubling up to {@link #MAX_RETRY_DELAY}. Each loop's waiting keys are the
 * gauge {@code liteboxd.controller.workqueue.depth{loop}}. The loops are closed here on shutdown.
 */
@Singleton
@Requires(beans = Leadership.class)
public class LeaderLoops {

    /** Long enough not to hammer an API server that is down, short enough for TTLs to stay close. */
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(LeaderLoops.class);

    private final Leadership leadership;
    private final ControllerSettings settings;
    private final MeterRegistry registry;
    private final List<ReconcileLoop<String>> loops = new CopyOnWriteArrayList<>();

    LeaderLoops(Leadership leadership, ControllerSettings settings, MeterRegistry registry) {
        this.leadership = leadership;
        this.settings = settings;
        this.registry = registry;
    }

    /**
     * Starts {@code workers} threads for {@code reconciler}; {@code cachedKeys} lists every key
     * the loop is responsible for, requeued when this replica starts leading.
     */
    public ReconcileLoop<String> start(String name, int workers, Reconciler<String> reconciler,
                                       Supplier<? extends Collection<String>> cachedKeys) {
        WorkQueue<String> queue = new WorkQueue<>(settings.retryPeriod(), MAX_RETRY_DELAY);
        Gauge.builder("liteboxd.controller.workqueue.depth", queue, WorkQueue::waiting).tag("loop", name)
                .description("Keys waiting in a controller work queue (due now or later)").register(registry);
        ReconcileLoop<String> loop = new ReconcileLoop<>(name, queue, reconciler, leadership::isLeader);
        leadership.addListener(() -> cachedKeys.get().forEach(queue::add));
        loops.add(loop);
        return loop.start(workers);
    }

    @PreDestroy
    void close() {
        for (ReconcileLoop<String> loop : loops) {
            try {
                loop.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.warn("interrupted while stopping the reconcile loops");
                return;
            }
        }
    }
}
