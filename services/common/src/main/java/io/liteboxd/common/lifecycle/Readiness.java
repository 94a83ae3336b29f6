package io.liteboxd.common.lifecycle;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether this process should receive new traffic. Kubernetes reads it through {@code /readyz}:
 * not ready while starting, ready once the HTTP server is up, and not ready again as soon as a
 * drain begins, so the endpoints controller takes the pod out before it stops serving.
 */
@Singleton
public class Readiness {

    /** The phases a service goes through; only {@link #SERVING} accepts new work. */
    public enum Phase { STARTING, SERVING, DRAINING }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.STARTING);
    /** Told once when the drain begins: long-lived streams end so their clients reconnect elsewhere. */
    private final List<Runnable> drainListeners = new CopyOnWriteArrayList<>();

    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        // A drain that began during start-up wins: never go back to serving.
        phase.compareAndSet(Phase.STARTING, Phase.SERVING);
    }

    /** Stops accepting new work; irreversible for the life of the process. */
    public void beginDrain() {
        if (phase.getAndSet(Phase.DRAINING) != Phase.DRAINING) {
            drainListeners.forEach(Runnable::run);
        }
    }

    /**
     * Runs {@code listener} when the drain begins (at once if it already has). For streams that
     * never end by themselves, such as server-sent events: a drain would otherwise wait for them
     * until its timeout, while their clients reconnect to another replica without losing anything.
     * Make it idempotent: registered while a drain begins, it may run twice.
     */
    public void onDrain(Runnable listener) {
        drainListeners.add(listener);
        if (phase.get() == Phase.DRAINING && drainListeners.remove(listener)) {
            listener.run();
        }
    }

    public Phase phase() {
        return phase.get();
    }
}
