package io.liteboxd.egress;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/**
 * Polls until a condition holds or a deadline passes: these tests' one way to wait. The same as
 * liteboxd-common's test helper, which this module does not depend on in its first slice.
 */
final class Await {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {}

    /** Waits until {@code done} accepts what {@code probe} returns and gives that value back. */
    static <T> T until(String what, Callable<T> probe, Predicate<? super T> done) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        long pause = 5;
        while (true) {
            T value = probe.call();
            if (done.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + TIMEOUT + " waiting until " + what + "; last: " + value);
            }
            Thread.sleep(pause); // polling interval, not synchronisation
            pause = Math.min(pause * 2, 100);
        }
    }
}
