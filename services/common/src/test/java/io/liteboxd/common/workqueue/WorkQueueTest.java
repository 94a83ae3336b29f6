package io.liteboxd.common.workqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The queue's ordering, de-duplication, per-key exclusivity and backoff, on a clock the test moves. */
class WorkQueueTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    final AtomicReference<Instant> now = new AtomicReference<>(T0);
    final InstantSource clock = () -> now.get();
    final WorkQueue<String> queue = new WorkQueue<>(clock, Duration.ofMillis(100), Duration.ofSeconds(1));

    void advance(Duration by) {
        now.set(now.get().plus(by));
    }

    @Test
    void keysComeOutWhenDueInOrderOfTheirInstants() {
        queue.addAfter("late", Duration.ofSeconds(2));
        queue.addAfter("soon", Duration.ofSeconds(1));
        queue.add("now");
        assertEquals(Optional.of("now"), queue.poll());
        assertEquals(Optional.empty(), queue.poll(), "nothing else is due yet");
        advance(Duration.ofSeconds(2));
        assertEquals(Optional.of("soon"), queue.poll());
        assertEquals(Optional.of("late"), queue.poll());
    }

    @Test
    void aKeyWaitsOnceAtTheEarliestInstantAskedFor() {
        queue.addAfter("a", Duration.ofSeconds(5));
        queue.addAfter("a", Duration.ofSeconds(1));
        queue.addAfter("a", Duration.ofSeconds(9));
        assertEquals(1, queue.waiting());
        advance(Duration.ofSeconds(1));
        assertEquals(Optional.of("a"), queue.poll());
        queue.done("a");
        advance(Duration.ofSeconds(10));
        assertEquals(Optional.empty(), queue.poll(), "the later requests were folded into the first");
    }

    @Test
    void aKeyInProgressIsNotHandedOutTwiceAndComesBackAfterDone() {
        queue.add("a");
        assertEquals(Optional.of("a"), queue.poll());
        queue.add("a");
        assertEquals(Optional.empty(), queue.poll(), "a second worker must not get a key in progress");
        queue.done("a");
        assertEquals(Optional.of("a"), queue.poll(), "added while in progress: due again after done");
    }

    @Test
    void retriesBackOffExponentiallyUpToTheMaximumUntilForgotten() {
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L),
                List.of(1, 2, 3, 4, 5, 60).stream().map(n -> queue.backoff(n).toMillis()).toList());
        queue.add("a");
        assertEquals(Optional.of("a"), queue.poll());
        queue.retry("a");
        queue.done("a");
        advance(Duration.ofMillis(99));
        assertEquals(Optional.empty(), queue.poll());
        advance(Duration.ofMillis(1));
        assertEquals(Optional.of("a"), queue.poll());
        queue.retry("a");
        queue.done("a");
        assertEquals(2, queue.failures("a"));
        advance(Duration.ofMillis(200));
        assertEquals(Optional.of("a"), queue.poll());
        queue.forget("a");
        queue.done("a");
        assertEquals(0, queue.failures("a"));
    }

    @Test
    void theLoopRequeuesRetriesAndDropsWhileInactive() {
        AtomicBoolean active = new AtomicBoolean(false);
        List<String> seen = new ArrayList<>();
        ReconcileLoop<String> loop = new ReconcileLoop<>("test", queue, key -> {
            seen.add(key);
            if (key.equals("bad")) {
                throw new IllegalStateException("boom");
            }
            return key.equals("again") ? Reconciler.Result.at(now.get().plusSeconds(1)) : Reconciler.Result.done();
        }, active::get);
        queue.add("again");
        loop.process(queue.poll().orElseThrow());
        assertEquals(List.of(), seen, "a standby drops what it takes");
        active.set(true);
        queue.add("again");
        queue.add("bad");
        loop.process(queue.poll().orElseThrow());
        loop.process(queue.poll().orElseThrow());
        assertEquals(List.of("again", "bad"), seen);
        assertEquals(1, queue.failures("bad"));
        advance(Duration.ofSeconds(1));
        List<String> due = new ArrayList<>();
        queue.poll().ifPresent(due::add);
        queue.poll().ifPresent(due::add);
        assertTrue(due.containsAll(List.of("again", "bad")), "requeued and retried: " + due);
    }

    @Test
    void takeWakesForANewKeyAndEndsAtShutDown() throws Exception {
        WorkQueue<String> real = new WorkQueue<>(Duration.ofMillis(10), Duration.ofSeconds(1));
        CompletableFuture<Optional<String>> first = new CompletableFuture<>();
        CompletableFuture<Optional<String>> second = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().start(() -> {
            try {
                first.complete(real.take());
                second.complete(real.take());
            } catch (InterruptedException e) {
                first.completeExceptionally(e);
            }
        });
        real.addAfter("x", Duration.ofMillis(20));
        assertEquals(Optional.of("x"), first.get(5, TimeUnit.SECONDS), "a blocked take wakes when the key is due");
        real.shutDown();
        assertEquals(Optional.empty(), second.get(5, TimeUnit.SECONDS), "take answers empty once shut down");
        worker.join();
    }
}
