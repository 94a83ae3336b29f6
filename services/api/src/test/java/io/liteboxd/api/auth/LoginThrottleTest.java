package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    final LoginThrottle throttle = new LoginThrottle(
            new LoginThrottleSettings(3, Duration.ofSeconds(1), Duration.ofSeconds(10), 4));
    final List<String> keys = List.of("ip:203.0.113.7", "user:admin");

    @Test
    void theFreeFailuresCostNothingThenTheLockDoublesUpToTheMax() {
        throttle.recordFailure(keys, T0);
        throttle.recordFailure(keys, T0);
        assertEquals(Optional.empty(), throttle.lockedFor(keys, T0));
        throttle.recordFailure(keys, T0);
        assertEquals(Optional.of(Duration.ofSeconds(1)), throttle.lockedFor(keys, T0));
        assertEquals(Optional.of(Duration.ofMillis(400)), throttle.lockedFor(keys, T0.plusMillis(600)));
        assertEquals(Optional.empty(), throttle.lockedFor(keys, T0.plusSeconds(1)));
        Instant t = T0;
        for (long expected : new long[] {2, 4, 8, 10, 10}) {
            t = t.plusSeconds(30);
            throttle.recordFailure(keys, t);
            assertEquals(Optional.of(Duration.ofSeconds(expected)), throttle.lockedFor(keys, t));
        }
    }

    @Test
    void eitherKeyLocksAndSuccessClearsBoth() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure(List.of("user:admin"), T0);
        }
        assertTrue(throttle.lockedFor(List.of("ip:198.51.100.1", "user:admin"), T0).isPresent(), "per user");
        assertTrue(throttle.lockedFor(List.of("ip:198.51.100.1", "user:other"), T0).isEmpty());
        throttle.clear(List.of("ip:198.51.100.1", "user:admin"));
        assertTrue(throttle.lockedFor(List.of("user:admin"), T0).isEmpty());
        throttle.recordFailure(List.of("user:admin"), T0);
        assertTrue(throttle.lockedFor(List.of("user:admin"), T0).isEmpty(), "the count started over");
    }

    @Test
    void aKeyQuietForADayStartsOver() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure(keys, T0);
        }
        Instant later = T0.plus(LoginThrottle.FORGET_AFTER).plusSeconds(2);
        throttle.recordFailure(keys, later);
        assertTrue(throttle.lockedFor(keys, later).isEmpty());
    }

    @Test
    void memoryIsBoundedByEvictingTheStalestKeys() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure(List.of("user:admin"), T0);
        }
        for (int i = 0; i < 10; i++) {
            throttle.recordFailure(List.of("user:spray-" + i), T0.plusSeconds(1));
        }
        assertEquals(4, throttle.trackedKeys());
        assertTrue(throttle.lockedFor(List.of("user:admin"), T0).isEmpty(), "the oldest key went first");
    }

    @Test
    void hugeStepsDoNotOverflow() {
        assertEquals(Duration.ofSeconds(10), throttle.backoff(1_000));
        assertEquals(Duration.ofSeconds(10), throttle.backoff(61));
    }
}
