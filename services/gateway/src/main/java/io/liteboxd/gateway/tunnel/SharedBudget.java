package io.liteboxd.gateway.tunnel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes all tunnels hold together ({@code liteboxd.gateway.tunnels-buffer-bytes}). Over the
 * limit, every tunnel that reads more stops reading; a tunnel that stopped only because of the
 * others waits here to be told when there is room again.
 */
final class SharedBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();
    private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

    SharedBudget(long limit) {
        this.limit = limit;
    }

    void add(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        if (used.addAndGet(-bytes) <= limit && !waiting.isEmpty()) {
            wakeAll();
        }
    }

    boolean exhausted() {
        return used.get() > limit;
    }

    long used() {
        return used.get();
    }

    /** Runs {@code wake} once there is room: now, or on a later release. */
    void awaitRoom(Runnable wake) {
        waiting.add(wake);
        if (!exhausted()) {
            wakeAll();
        }
    }

    void cancel(Runnable wake) {
        waiting.remove(wake);
    }

    private void wakeAll() {
        for (Runnable wake : waiting) {
            if (waiting.remove(wake)) {
                wake.run();
            }
        }
    }
}
