package io.liteboxd.api.sandbox;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.events.EventType;
import io.liteboxd.api.events.LiveEvents;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes sandbox changes to the console's live stream ({@link LiveEvents}). A change always
 * shows on the sandbox's pod or Deployment first, and the row follows when a replica's status
 * sync has written it: that may be another replica, so this one cannot hook the write. Instead,
 * each pod or Deployment event of a sandbox re-reads its row a few times shortly afterwards and
 * publishes it when its change time moved since the last publication here. Nothing runs while no
 * stream is open.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class SandboxChangeFeed {

    /** After an event: the local write is usually done within the first, another replica's by the last. */
    private static final long[] READ_AFTER_MS = {150, 800, 3000};
    private static final Logger LOG = LoggerFactory.getLogger(SandboxChangeFeed.class);

    private final LiveEvents events;
    private final SandboxRepository sandboxes;
    private final SandboxUrlTemplate urls;
    private final JsonMapper json;
    /** Marks a sandbox whose deletion was published. */
    private static final Instant GONE = Instant.EPOCH;
    /** id → the change time last published, or {@link #GONE}. */
    private final Map<String, Instant> published = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reads = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sandbox-change-feed").factory());

    SandboxChangeFeed(LiveEvents events, SandboxRepository sandboxes, SandboxUrlTemplate urls, JsonMapper json) {
        this.events = events;
        this.sandboxes = sandboxes;
        this.urls = urls;
        this.json = json;
    }

    /** The sandbox with this id may have changed. */
    void touched(String id) {
        if (id == null || !events.watched()) {
            return;
        }
        for (long delay : READ_AFTER_MS) {
            reads.schedule(() -> publishIfChanged(id), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void publishIfChanged(String id) {
        if (!events.watched()) {
            published.clear(); // nobody saw them: the next stream starts from its own reload
            return;
        }
        try {
            var row = sandboxes.findById(id).filter(s -> !s.isDeleted());
            if (row.isEmpty()) {
                // Published once, whether or not this replica published the sandbox before: the
                // client may have loaded it from the list. The marker stays while streams are open.
                if (!GONE.equals(published.put(id, GONE))) {
                    events.publish(EventType.SANDBOX, Map.of("id", id, "status", LifecycleStatus.DELETED.wire()));
                }
                return;
            }
            Sandbox sandbox = row.get();
            if (!Objects.equals(published.put(id, sandbox.updatedAt()), sandbox.updatedAt())) {
                events.publish(EventType.SANDBOX, SandboxViews.of(sandbox, null, urls, json));
            }
        } catch (RuntimeException e) {
            LOG.warn("sandbox {}: live event not sent: {}", id, e.toString());
        }
    }

    @PreDestroy
    void close() {
        reads.shutdownNow();
    }

    /** Pod events of every sandbox (ephemeral, pool and persistent pods alike). */
    @Singleton
    @Requires(beans = SandboxSettings.class)
    static class Pods implements SandboxPodListener {
        private final SandboxChangeFeed feed;

        Pods(SandboxChangeFeed feed) {
            this.feed = feed;
        }

        @Override
        public void onAdd(V1Pod pod) {
            feed.touched(SandboxStatusSync.sandboxId(pod));
        }

        @Override
        public void onUpdate(V1Pod oldPod, V1Pod newPod) {
            feed.touched(SandboxStatusSync.sandboxId(newPod));
        }

        @Override
        public void onDelete(V1Pod pod, boolean finalStateUnknown) {
            feed.touched(SandboxStatusSync.sandboxId(pod));
        }
    }

    /** Deployment events of persistent sandboxes (stop and start change replicas, not pods only). */
    @Singleton
    @Requires(beans = SandboxSettings.class)
    static class Deployments implements SandboxDeploymentListener {
        private final SandboxChangeFeed feed;

        Deployments(SandboxChangeFeed feed) {
            this.feed = feed;
        }

        @Override
        public void onAdd(V1Deployment deployment) {
            feed.touched(SandboxStatusSync.sandboxId(deployment));
        }

        @Override
        public void onUpdate(V1Deployment oldDeployment, V1Deployment newDeployment) {
            feed.touched(SandboxStatusSync.sandboxId(newDeployment));
        }

        @Override
        public void onDelete(V1Deployment deployment, boolean finalStateUnknown) {
            feed.touched(SandboxStatusSync.sandboxId(deployment));
        }
    }
}
