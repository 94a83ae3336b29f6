package io.liteboxd.api.sandbox.reconcile;

import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reconciler once when the API starts (trigger {@code startup}: it catches up with
 * whatever happened while no API was watching) and then every {@code liteboxd.reconcile.interval}
 * (trigger {@code scheduled}) as a safety net behind the informer.
 */
@Singleton
@Requires(beans = SandboxReconciler.class)
class ReconcileSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileSchedule.class);

    private final SandboxReconciler reconciler;
    private final TaskScheduler scheduler;
    private final ReconcileSettings settings;

    ReconcileSchedule(SandboxReconciler reconciler, @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler,
                      ReconcileSettings settings) {
        this.reconciler = reconciler;
        this.scheduler = scheduler;
        this.settings = settings;
    }

    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        scheduler.schedule(Duration.ZERO, () -> runQuietly("startup"));
        if (!settings.interval().isZero()) {
            scheduler.scheduleWithFixedDelay(settings.interval(), settings.interval(), () -> runQuietly("scheduled"));
        }
    }

    private void runQuietly(String trigger) {
        try {
            reconciler.run(trigger);
        } catch (RuntimeException e) {
            // A failed pass is recorded by the reconciler; the schedule must keep going.
            LOG.error("reconcile ({}) could not run", trigger, e);
        }
    }
}
