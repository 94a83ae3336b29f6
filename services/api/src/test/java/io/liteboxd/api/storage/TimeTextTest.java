package io.liteboxd.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The TEXT time layouts found in upstream files and Postgres answers, and the one we write. */
class TimeTextTest {

    @Test
    void readsEveryLayoutUpstreamWrote() {
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), TimeText.parse("2026-01-02 03:04:05"));
        assertEquals(Instant.parse("2026-01-02T03:04:05.5Z"), TimeText.parse("2026-01-02 03:04:05.5+00:00"));
        assertEquals(Instant.parse("2026-01-02T03:04:05.123456789Z"),
                TimeText.parse("2026-01-02 03:04:05.123456789+00:00"));
        assertEquals(Instant.parse("2026-01-02T01:04:05Z"), TimeText.parse("2026-01-02 03:04:05+02:00"));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), TimeText.parse("2026-01-02T03:04:05Z"));
    }

    @Test
    void readsWhatPostgresReturnsForTimestamptz() {
        assertEquals(Instant.parse("2026-01-02T03:04:05.123457Z"), TimeText.parse("2026-01-02 03:04:05.123457+00"));
        assertEquals(Instant.parse("2026-01-02T03:04:05Z"), TimeText.parse("2026-01-02 03:04:05+00"));
        assertEquals(Instant.parse("2026-01-01T21:34:05Z"), TimeText.parse("2026-01-02 03:04:05+05:30"));
        assertEquals(Instant.parse("2026-01-02T04:04:05Z"), TimeText.parse("2026-01-02 03:04:05-01"));
        assertEquals(Instant.parse("1890-01-01T00:00:00Z"), TimeText.parse("1890-01-01 00:53:28+00:53:28"),
                "a historical zone offset with seconds");
    }

    @Test
    void writesUtcWithNineDigitsSoTextOrderIsTimeOrder() {
        assertEquals("2026-01-02 03:04:05.100000000+00:00", TimeText.format(Instant.parse("2026-01-02T03:04:05.1Z")));
        String earlier = TimeText.format(Instant.parse("2026-01-02T03:04:05.9Z"));
        String later = TimeText.format(Instant.parse("2026-01-02T03:04:06Z"));
        assertTrue(earlier.compareTo(later) < 0);
        Instant now = Instant.now();
        assertEquals(now, TimeText.parse(TimeText.format(now)));
    }
}
