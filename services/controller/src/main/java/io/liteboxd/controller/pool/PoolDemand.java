package io.liteboxd.controller.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The creates each pool saw over a sliding window: claims (hits) and cold creates that found it
 * empty (misses), fed from the sandbox pods' {@code claimed-from} / {@code pool-miss}
 * annotations as the informer delivers them, once per pod UID. A new leader's informer replays
 * every live pod, so what it starts with is the live part of the window (pods already deleted
 * are not counted: the estimate starts a little low, never high).
 */
final class PoolDemand {

    /** One create: its instant, whether it hit, and the pod it made. */
    private record Create(Instant at, boolean hit, String uid) {}

    private final Duration window;
    private final Map<String, Deque<Create>> byPool = new ConcurrentHashMap<>();
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();

    PoolDemand(Duration window) {
        this.window = window;
    }

    Duration window() {
        return window;
    }

    /** Records a create once per pod UID; false when it was known or outside the window. */
    boolean record(String pool, String uid, Instant at, boolean hit, Instant now) {
        if (at.isBefore(now.minus(window)) || seen.putIfAbsent(uid, Boolean.TRUE) != null) {
            return false;
        }
        Deque<Create> creates = byPool.computeIfAbsent(pool, p -> new ArrayDeque<>());
        synchronized (creates) {
            creates.addLast(new Create(at, hit, uid));
        }
        return true;
    }

    /** Hits and misses of {@code pool} within the window ending {@code now}. */
    Counts counts(String pool, Instant now) {
        Deque<Create> creates = byPool.get(pool);
        if (creates == null) {
            return new Counts(0, 0);
        }
        int hits = 0;
        int misses = 0;
        synchronized (creates) {
            Instant from = now.minus(window);
            creates.removeIf(c -> {
                boolean old = c.at().isBefore(from);
                if (old) {
                    seen.remove(c.uid());
                }
                return old;
            });
            for (Create c : creates) {
                if (c.hit()) {
                    hits++;
                } else {
                    misses++;
                }
            }
        }
        return new Counts(hits, misses);
    }

    record Counts(int hits, int misses) {
        int creates() {
            return hits + misses;
        }
    }
}
