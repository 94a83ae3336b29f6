package io.liteboxd.controller.workqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.workqueue.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Informer events become keys on the queue, and nothing else happens on the delivery thread. */
class EnqueueKeysTest {

    final WorkQueue<String> queue = new WorkQueue<>(Duration.ofSeconds(1), Duration.ofSeconds(1));

    static V1Pod pod(String name, String app) {
        return new V1Pod().metadata(new V1ObjectMeta().namespace("ns").name(name).labels(Map.of("app", app)));
    }

    List<String> drain() {
        List<String> keys = new ArrayList<>();
        for (Optional<String> key = queue.poll(); key.isPresent(); key = queue.poll()) {
            keys.add(key.get());
            queue.done(key.get());
        }
        return keys;
    }

    @Test
    void addsUpdatesAndDeletesOfOurObjectsQueueTheirCacheKeyOnce() {
        var handler = EnqueueKeys.<V1Pod>own(queue, p -> "liteboxd".equals(p.getMetadata().getLabels().get("app")));
        handler.onAdd(pod("sandbox-a", "liteboxd"));
        handler.onUpdate(pod("sandbox-a", "liteboxd"), pod("sandbox-a", "liteboxd"));
        handler.onAdd(pod("other", "something-else"));
        assertEquals(List.of("ns/sandbox-a"), drain(), "de-duplicated, and not ours is not queued");
        handler.onDelete(pod("sandbox-a", "liteboxd"), false);
        assertEquals(List.of("ns/sandbox-a"), drain(), "the reconciler forgets what it knew");
    }

    @Test
    void anObjectCanQueueAnotherObjectsKey() {
        var handler = new EnqueueKeys<V1Pod>(queue, p -> "ns/owner-of-" + p.getMetadata().getName());
        handler.onAdd(pod("x", "liteboxd-prepull"));
        assertEquals(List.of("ns/owner-of-x"), drain());
    }
}
