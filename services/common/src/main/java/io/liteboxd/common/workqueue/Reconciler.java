package io.liteboxd.common.workqueue;

import java.time.Instant;

/**
 * Brings one key's world in line with what its objects say, reading them from a cache (never
 * from the API server in a loop). Throwing means "try again later" (the queue's backoff);
 * returning says whether the key needs another look at some instant.
 */
@FunctionalInterface
public interface Reconciler<K> {

    Result reconcile(K key) throws Exception;

    /** {@code requeueAt} null: nothing more to do until the key is added again. */
    record Result(Instant requeueAt) {

        private static final Result DONE = new Result(null);

        public static Result done() {
            return DONE;
        }

        public static Result at(Instant instant) {
            return new Result(instant);
        }
    }
}
