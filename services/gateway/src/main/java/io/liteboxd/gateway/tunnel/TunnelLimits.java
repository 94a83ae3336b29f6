package io.liteboxd.gateway.tunnel;

import io.liteboxd.gateway.metrics.GatewayMetrics;
import io.liteboxd.gateway.sandbox.GatewaySettings;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What all tunnels share: the number that may be open ({@code liteboxd.gateway.max-tunnels};
 * a slot is taken when the pod is dialled, before the client's upgrade is answered, and given
 * back when the tunnel ends) and the byte budget of their buffers.
 */
@Singleton
public class TunnelLimits {

    private final GatewaySettings settings;
    private final SharedBudget buffers;
    private final AtomicInteger slots = new AtomicInteger();

    TunnelLimits(GatewaySettings settings, GatewayMetrics metrics) {
        this.settings = settings;
        this.buffers = new SharedBudget(settings.tunnelsBufferBytes());
        metrics.tunnelBuffers(buffers::used);
    }

    /** Takes a slot, or answers false when {@code max-tunnels} are open. */
    boolean tryOpen() {
        while (true) {
            int open = slots.get();
            if (open >= settings.maxTunnels()) {
                return false;
            }
            if (slots.compareAndSet(open, open + 1)) {
                return true;
            }
        }
    }

    void closed() {
        slots.decrementAndGet();
    }

    /** Slots taken now (for tests). */
    int open() {
        return slots.get();
    }

    Tunnel newTunnel() {
        return new Tunnel(settings.tunnelBufferBytes(), buffers, settings.maxFrameBytes());
    }

    /** Bytes all tunnels hold now (for tests and the gauge). */
    public long bufferedBytes() {
        return buffers.used();
    }
}
