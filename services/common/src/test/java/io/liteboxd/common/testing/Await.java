package io.liteboxd.common.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Polls until a condition holds or a deadline passes: the tests' one way to wait (shared by all
 * services through liteboxd-common's test-jar). A probe that throws ends the wait at once with
 * its exception, so a probe can fail fast (a process that died) and must catch what only means
 * "not yet" itself. Polls back off from 10 ms to 200 ms: quick conditions are seen quickly, and
 * long waits on the cluster do not hammer it.
 */
public final class Await {

    static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    static final Duration LONGEST_PAUSE = Duration.ofMillis(200);

    private Await() {}

    /** Waits until {@code condition} is true; on timeout fails naming {@code what}. */
    public static void until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
        poll(timeout, what, condition, Boolean.TRUE::equals, false);
    }

    /**
     * Waits until {@code done} accepts what {@code probe} returns and gives that value back; on
     * timeout fails naming {@code what} and the last value seen.
     */
    public static <T> T until(Duration timeout, String what, Callable<T> probe, Predicate<? super T> done)
            throws Exception {
        return poll(timeout, what, probe, done, true);
    }

    private static <T> T poll(Duration timeout, String what, Callable<T> probe, Predicate<? super T> done,
            boolean showLast) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE.toMillis();
        while (true) {
            T value = probe.call();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting until " + what
                        + (showLast ? "; last: " + value : ""));
            }
            Thread.sleep(pause); // polling interval, not synchronisation
            pause = Math.min(pause * 2, LONGEST_PAUSE.toMillis());
        }
    }
}
