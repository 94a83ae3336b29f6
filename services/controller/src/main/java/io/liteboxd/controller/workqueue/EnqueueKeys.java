package io.liteboxd.controller.workqueue;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.cache.Caches;
import io.liteboxd.common.workqueue.WorkQueue;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * An informer handler that only enqueues: every add, update and delete puts the key it concerns
 * on the queue, and the reconciler reads the current state from the cache when the key comes up.
 * Nothing is decided on the informer's delivery thread, so a slow write never holds up events.
 */
public final class EnqueueKeys<T extends KubernetesObject> implements ResourceEventHandler<T> {

    private final WorkQueue<String> queue;
    private final Function<T, String> keyOf;

    /** {@code keyOf} maps an object to the key to reconcile, or null if it is none of the loop's business. */
    public EnqueueKeys(WorkQueue<String> queue, Function<T, String> keyOf) {
        this.queue = queue;
        this.keyOf = keyOf;
    }

    /** Each object that passes {@code filter} under its own cache key. */
    public static <T extends KubernetesObject> EnqueueKeys<T> own(WorkQueue<String> queue, Predicate<T> filter) {
        return new EnqueueKeys<>(queue, object -> filter.test(object) ? Caches.metaNamespaceKeyFunc(object) : null);
    }

    @Override
    public void onAdd(T object) {
        enqueue(object);
    }

    @Override
    public void onUpdate(T oldObject, T newObject) {
        enqueue(newObject);
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
        enqueue(object); // the reconciler finds it gone and forgets what it knew
    }

    private void enqueue(T object) {
        String key = keyOf.apply(object);
        if (key != null) {
            queue.add(key);
        }
    }
}
