package io.liteboxd.common.workqueue;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one queue of background work (TTL expiry, startup deadlines, pre-pull progress), in the
 * manner of client-go's workqueue:
 * <ul>
 * <li><b>delaying</b>: a key is due now ({@link #add}) or at an instant ({@link #addAt});
 * <li><b>de-duplicating</b>: a key waits at most once, at the earliest instant it was asked for;
 * keys are identities (e.g. {@code namespace/name}), and the reconciler reads the current state
 * from a cache when the key comes up, so collapsing requests loses nothing;
 * <li><b>one worker per key</b>: a key being processed is not handed out again; added meanwhile,
 * it comes back after {@link #done};
 * <li><b>rate-limited retry</b>: {@link #retry} makes a key due after an exponential backoff that
 * grows with its failures until {@link #forget}.
 * </ul>
 * Time comes from an {@link InstantSource}, so the ordering logic is unit-tested without waiting.
 */
public final class WorkQueue<K> {

    private record Entry<K>(K key, Instant due) {}

    private final InstantSource clock;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Entry<K>> byDue = new PriorityQueue<>((a, b) -> a.due().compareTo(b.due()));
    /** Each waiting key's due instant; heap entries that no longer match are stale and skipped. */
    private final Map<K, Instant> waiting = new HashMap<>();
    private final Set<K> processing = new HashSet<>();
    /** Keys added while being processed, with the instant they are due again. */
    private final Map<K, Instant> dirty = new HashMap<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private boolean shutDown;

    /** Retries wait {@code baseDelay} × 2^(failures − 1), at most {@code maxDelay}. */
    public WorkQueue(InstantSource clock, Duration baseDelay, Duration maxDelay) {
        this.clock = clock;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
    }

    public WorkQueue(Duration baseDelay, Duration maxDelay) {
        this(InstantSource.system(), baseDelay, maxDelay);
    }

    public void add(K key) {
        addAt(key, clock.instant());
    }

    public void addAfter(K key, Duration delay) {
        addAt(key, clock.instant().plus(delay));
    }

    public void addAt(K key, Instant due) {
        lock.lock();
        try {
            if (shutDown) {
                return;
            }
            if (processing.contains(key)) {
                dirty.merge(key, due, (a, b) -> a.isBefore(b) ? a : b);
                return;
            }
            Instant current = waiting.get(key);
            if (current != null && !due.isBefore(current)) {
                return;
            }
            waiting.put(key, due);
            byDue.add(new Entry<>(key, due));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** After a failure: due again after this key's backoff, which doubles with each failure. */
    public void retry(K key) {
        Duration delay;
        lock.lock();
        try {
            delay = backoff(failures.merge(key, 1, Integer::sum));
        } finally {
            lock.unlock();
        }
        addAfter(key, delay);
    }

    /** After a success: the next failure starts from the base delay again. */
    public void forget(K key) {
        lock.lock();
        try {
            failures.remove(key);
        } finally {
            lock.unlock();
        }
    }

    public int failures(K key) {
        lock.lock();
        try {
            return failures.getOrDefault(key, 0);
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until a key is due and hands it out, or returns empty once the queue is shut down. */
    public Optional<K> take() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (shutDown) {
                    return Optional.empty();
                }
                Optional<K> due = pollLocked();
                if (due.isPresent()) {
                    return due;
                }
                Entry<K> next = byDue.peek();
                if (next == null) {
                    changed.await();
                } else {
                    long nanos = Duration.between(clock.instant(), next.due()).toNanos();
                    changed.await(Math.max(nanos, 1), TimeUnit.NANOSECONDS);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A key that is due now, without waiting. */
    public Optional<K> poll() {
        lock.lock();
        try {
            return shutDown ? Optional.empty() : pollLocked();
        } finally {
            lock.unlock();
        }
    }

    private Optional<K> pollLocked() {
        Instant now = clock.instant();
        while (!byDue.isEmpty()) {
            Entry<K> head = byDue.peek();
            if (!head.due().equals(waiting.get(head.key()))) {
                byDue.poll(); // superseded by an earlier request for the same key
                continue;
            }
            if (head.due().isAfter(now)) {
                return Optional.empty();
            }
            byDue.poll();
            waiting.remove(head.key());
            processing.add(head.key());
            return Optional.of(head.key());
        }
        return Optional.empty();
    }

    /** The worker is finished with {@code key}; if it was added meanwhile, it waits again. */
    public void done(K key) {
        Instant again;
        lock.lock();
        try {
            processing.remove(key);
            again = dirty.remove(key);
        } finally {
            lock.unlock();
        }
        if (again != null) {
            addAt(key, again);
        }
    }

    /** Keys waiting (due or not), for the depth metric. */
    public int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every {@link #take} with an empty answer; later adds are ignored. */
    public void shutDown() {
        lock.lock();
        try {
            shutDown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    Duration backoff(int failureCount) {
        int doublings = Math.min(failureCount - 1, 30);
        Duration delay = baseDelay.multipliedBy(1L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
