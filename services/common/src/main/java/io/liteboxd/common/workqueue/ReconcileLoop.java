package io.liteboxd.common.workqueue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers that take keys from a {@link WorkQueue} and hand them to a {@link Reconciler}: a
 * success forgets the key's failures and requeues it if asked, a failure retries it with backoff.
 * While {@code active} is false (a standby replica) keys are taken and dropped: whoever becomes
 * active requeues everything from its cache. Closing shuts the queue down and waits for the workers.
 */
public final class ReconcileLoop<K> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReconcileLoop.class);

    private final String name;
    private final WorkQueue<K> queue;
    private final Reconciler<K> reconciler;
    private final BooleanSupplier active;
    private final List<Thread> workers = new ArrayList<>();

    public ReconcileLoop(String name, WorkQueue<K> queue, Reconciler<K> reconciler, BooleanSupplier active) {
        this.name = name;
        this.queue = queue;
        this.reconciler = reconciler;
        this.active = active;
    }

    public ReconcileLoop<K> start(int workerCount) {
        for (int i = 0; i < workerCount; i++) {
            workers.add(Thread.ofPlatform().name(name + "-" + i).daemon().start(this::work));
        }
        return this;
    }

    public WorkQueue<K> queue() {
        return queue;
    }

    private void work() {
        while (true) {
            Optional<K> next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next.isEmpty()) {
                return;
            }
            process(next.get());
        }
    }

    /** One key, start to end; package-private so tests can drive the loop without threads. */
    void process(K key) {
        try {
            if (!active.getAsBoolean()) {
                return;
            }
            Reconciler.Result result = reconciler.reconcile(key);
            queue.forget(key);
            if (result.requeueAt() != null) {
                queue.addAt(key, result.requeueAt());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // One line per retry (an API server that flaps would otherwise flood the log with
            // stack traces); the trace is there at DEBUG.
            LOG.warn("{}: {} failed ({} failures before): {}; retrying with backoff", name, key, queue.failures(key),
                    e.toString());
            LOG.debug("{}: {} failed", name, key, e);
            queue.retry(key);
        } finally {
            queue.done(key);
        }
    }

    @Override
    public void close() throws InterruptedException {
        queue.shutDown();
        for (Thread worker : workers) {
            worker.join();
        }
    }
}
