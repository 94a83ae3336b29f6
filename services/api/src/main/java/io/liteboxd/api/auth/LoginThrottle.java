package io.liteboxd.api.auth;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Failed-login counters per key (a client address or a user name) with exponential backoff: the
 * first {@code freeFailures} failures cost nothing, each further one locks the key for
 * {@code backoffBase × 2^n}, at most {@code backoffMax}. A success clears its keys. A key quiet for
 * {@link #FORGET_AFTER} starts over. Memory is bounded: beyond {@code maxTrackedKeys} keys the one
 * that failed longest ago is dropped. The caller passes the time, so the rules are testable
 * without a clock.
 */
@Singleton
public class LoginThrottle {

    static final Duration FORGET_AFTER = Duration.ofDays(1);

    private record Failures(int failures, Instant lastFailure, Instant lockedUntil) {}

    private final LoginThrottleSettings settings;
    /** Insertion order = order of the last failure, so the eldest entry is the stalest. */
    private final Map<String, Failures> entries;

    LoginThrottle(LoginThrottleSettings settings) {
        this.settings = settings;
        this.entries = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > settings.maxTrackedKeys();
            }
        };
    }

    /** How long the longest lock among {@code keys} still lasts; empty when none is locked. */
    public synchronized Optional<Duration> lockedFor(Collection<String> keys, Instant now) {
        Duration longest = Duration.ZERO;
        for (String key : keys) {
            Failures entry = entries.get(key);
            if (entry != null && entry.lockedUntil().isAfter(now)) {
                Duration left = Duration.between(now, entry.lockedUntil());
                longest = left.compareTo(longest) > 0 ? left : longest;
            }
        }
        return longest.isZero() ? Optional.empty() : Optional.of(longest);
    }

    public synchronized void recordFailure(Collection<String> keys, Instant now) {
        for (String key : keys) {
            Failures previous = entries.remove(key); // re-inserted below: now the newest
            int failures = previous == null || stale(previous, now) ? 1 : previous.failures() + 1;
            Instant lockedUntil = failures < settings.freeFailures() ? now
                    : now.plus(backoff(failures - settings.freeFailures()));
            entries.put(key, new Failures(failures, now, lockedUntil));
        }
    }

    public synchronized void clear(Collection<String> keys) {
        keys.forEach(entries::remove);
    }

    /** For tests: forget everything. */
    synchronized void clearAll() {
        entries.clear();
    }

    synchronized int trackedKeys() {
        return entries.size();
    }

    /** The lock after the {@code step}-th failure beyond the free ones (step 0 = base). */
    Duration backoff(int step) {
        Duration max = settings.backoffMax();
        if (step >= 62) {
            return max;
        }
        try {
            Duration lock = settings.backoffBase().multipliedBy(1L << step);
            return lock.compareTo(max) > 0 ? max : lock;
        } catch (ArithmeticException overflow) {
            return max;
        }
    }

    private static boolean stale(Failures entry, Instant now) {
        Instant quietSince = entry.lockedUntil().isAfter(entry.lastFailure()) ? entry.lockedUntil() : entry.lastFailure();
        return now.isAfter(quietSince.plus(FORGET_AFTER));
    }
}
