package io.liteboxd.common.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivityMarksTest {

    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    private final ActivityMarks marks = new ActivityMarks(null); // claim/release never patch

    @Test
    void theIntervalIsAQuarterOfTheIdleTimeoutBetweenOneSecondAndOneMinute() {
        assertEquals(Duration.ofSeconds(60), ActivityMarks.interval(Optional.of(Duration.ofHours(1))));
        assertEquals(Duration.ofSeconds(60), ActivityMarks.interval(Optional.of(Duration.ofSeconds(240))));
        assertEquals(Duration.ofSeconds(30), ActivityMarks.interval(Optional.of(Duration.ofSeconds(120))));
        assertEquals(Duration.ofMillis(1250), ActivityMarks.interval(Optional.of(Duration.ofSeconds(5))));
        assertEquals(Duration.ofSeconds(1), ActivityMarks.interval(Optional.of(Duration.ofSeconds(2))));
        assertEquals(Duration.ofSeconds(1), ActivityMarks.interval(Optional.empty()));
    }

    @Test
    void aSandboxIsMarkedAtMostOncePerInterval() {
        Optional<Duration> timeout = Optional.of(Duration.ofSeconds(120)); // every 30 s
        assertTrue(marks.claim("a", timeout, T0), "the first activity is marked");
        assertFalse(marks.claim("a", timeout, T0.plusSeconds(1)));
        assertFalse(marks.claim("a", timeout, T0.plusSeconds(29)));
        assertTrue(marks.claim("b", timeout, T0.plusSeconds(29)), "each sandbox has its own throttle");
        assertTrue(marks.claim("a", timeout, T0.plusSeconds(30)));
        assertFalse(marks.claim("a", timeout, T0.plusSeconds(59)));
        assertTrue(marks.claim("a", timeout, T0.plusSeconds(60)));
    }

    @Test
    void aFailedWriteIsReleasedSoTheNextActivityTriesAgain() {
        Optional<Duration> timeout = Optional.of(Duration.ofSeconds(600));
        assertTrue(marks.claim("a", timeout, T0));
        marks.release("a", T0);
        assertTrue(marks.claim("a", timeout, T0.plusMillis(10)));
        marks.release("a", T0); // a stale release does not drop the newer mark
        assertFalse(marks.claim("a", timeout, T0.plusSeconds(1)));
    }

    @Test
    void withoutAKnownTimeoutTheRememberedIntervalApplies() {
        assertTrue(marks.claim("a", Optional.empty(), T0), "unknown: marked at once");
        assertFalse(marks.claim("a", Optional.empty(), T0.plusMillis(500)));
        assertTrue(marks.claim("a", Optional.empty(), T0.plusSeconds(1)));
        // Told the timeout (every 10 s), the last mark (T0 + 1 s) counts from then on, and
        // later calls that do not know the timeout keep its interval.
        assertFalse(marks.claim("a", Optional.of(Duration.ofSeconds(40)), T0.plusSeconds(2)));
        assertFalse(marks.claim("a", Optional.empty(), T0.plusSeconds(10)));
        assertTrue(marks.claim("a", Optional.empty(), T0.plusSeconds(11)));
    }
}
