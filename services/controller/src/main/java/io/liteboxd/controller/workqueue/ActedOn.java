package io.liteboxd.controller.workqueue;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The objects (by UID) a reconciler has already acted on for good: deleted, failed, reported
 * final. A key can come up again before the informer has delivered the watch event of that write
 * (an unrelated event queued it meanwhile); acting again on the stale cached object would repeat
 * the write, the Event and the metric, or send a second DELETE. The write's own event brings the
 * key back once the cache shows it. UIDs are never reused, so the memory cannot go wrong; it is
 * dropped when the key's object is gone or replaced.
 */
public final class ActedOn {

    private final Map<String, String> uidByKey = new ConcurrentHashMap<>();
    private final Function<V1ObjectMeta, String> identity;

    /** Acts once per object, for good (delete, fail, final report): remembered by UID. */
    public ActedOn() {
        this(V1ObjectMeta::getUid);
    }

    private ActedOn(Function<V1ObjectMeta, String> identity) {
        this.identity = identity;
    }

    /**
     * Acts once per version of an object (scale a persistent sandbox down or up, which may be
     * undone later): remembered by resourceVersion, so any later change of the object, the
     * write's own included, makes it eligible again.
     */
    public static ActedOn perVersion() {
        return new ActedOn(V1ObjectMeta::getResourceVersion);
    }

    /** Whether {@code cached} (the key's object in the cache, or null) is one this reconciler acted on. */
    public boolean includes(String key, KubernetesObject cached) {
        String uid = cached == null || cached.getMetadata() == null ? null : identity.apply(cached.getMetadata());
        String acted = uidByKey.get(key);
        if (acted != null && !acted.equals(uid)) {
            uidByKey.remove(key, acted);
            return false;
        }
        return acted != null;
    }

    public void add(String key, KubernetesObject object) {
        uidByKey.put(key, identity.apply(object.getMetadata()));
    }

    int size() {
        return uidByKey.size();
    }
}
