package io.liteboxd.common.lifecycle;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
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

    @EventListener
    void onServerStarted(ServerStartupEvent event) {
        // A drain that began during start-up wins: never go back to serving.
        phase.compareAndSet(Phase.STARTING, Phase.SERVING);
    }

    /** Stops accepting new work; irreversible for the life of the process. */
    public void beginDrain() {
        phase.set(Phase.DRAINING);
    }

    public Phase phase() {
        return phase.get();
    }
}
