package io.liteboxd.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsOnceTheConditionHolds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Await.until(Duration.ofSeconds(5), "the third call", () -> calls.incrementAndGet() == 3);
        assertEquals(3, calls.get(), "polled until it held, not longer");
    }

    @Test
    void aConditionThatAlreadyHoldsIsNotWaitedFor() throws Exception {
        long started = System.nanoTime();
        Await.until(Duration.ofSeconds(5), "at once", () -> true);
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(1).toNanos());
    }

    @Test
    void failsNamingWhatWasAwaited() {
        long started = System.nanoTime();
        AssertionError failure = assertThrows(AssertionError.class,
                () -> Await.until(Duration.ofMillis(200), "the moon turns blue", () -> false));
        assertEquals("timed out after PT0.2S waiting until the moon turns blue", failure.getMessage());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofMillis(200)) >= 0, "gave up early: " + took);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) < 0, "gave up late: " + took);
    }

    @Test
    void returnsTheValueTheProbeFound() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String value = Await.until(Duration.ofSeconds(5), "a value",
                () -> calls.incrementAndGet() < 3 ? null : "found-" + calls.get(), v -> v != null);
        assertEquals("found-3", value);
    }

    @Test
    void aValueThatNeverComesFailsWithWhatAndTheLastValueSeen() {
        AtomicInteger calls = new AtomicInteger();
        AssertionError failure = assertThrows(AssertionError.class, () -> Await.until(Duration.ofMillis(100),
                "the count reaches 1000", calls::incrementAndGet, n -> n >= 1000));
        assertTrue(failure.getMessage().startsWith("timed out after PT0.1S waiting until the count reaches 1000; last: "),
                failure.getMessage());
        assertTrue(failure.getMessage().endsWith("last: " + calls.get()), failure.getMessage());
    }

    @Test
    void aProbeThatThrowsEndsTheWaitWithItsException() {
        IOException broken = new IOException("broken");
        AtomicInteger calls = new AtomicInteger();
        IOException thrown = assertThrows(IOException.class, () -> Await.until(Duration.ofSeconds(30), "never", () -> {
            calls.incrementAndGet();
            throw broken;
        }));
        assertSame(broken, thrown);
        assertEquals(1, calls.get());
    }
}
