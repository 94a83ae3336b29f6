package io.liteboxd.gateway.sandbox;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox pods, from an informer: every request is checked against this cache, never
 * against the API server or the API's database (docs/contract.md). An ephemeral sandbox's pod is
 * found by its name {@code sandbox-<id>}, a persistent sandbox's (its Deployment's, randomly
 * named) by the {@code sandbox-id} label, through an index of the same cache. Cached objects are
 * shared: read them, never change them.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public class SandboxPodCache {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxPodCache.class);
    private static final String BY_SANDBOX_ID = "sandbox-id";

    private final SharedInformerFactory informers;
    private final GatewaySettings settings;
    private final SharedIndexInformer<V1Pod> informer;

    SandboxPodCache(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                    GatewaySettings settings) {
        this.informers = informers;
        this.settings = settings;
        // Registered here, started on startup: others may add handlers before the first event.
        this.informer = Informers.sandboxPods(informers, informerClient, settings.namespace());
        informer.addIndexers(Map.of(BY_SANDBOX_ID, pod -> {
            String id = PersistentDeployment.sandboxId(pod);
            return id == null ? List.of() : List.of(id);
        }));
    }

    /** Before the HTTP server starts: until the cache is full every sandbox would look unknown. */
    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        Informers.startAndSync(informers, informer, "sandbox pod");
        LOG.info("watching sandbox pods in namespace {}", settings.namespace());
    }

    /**
     * The pod of a sandbox, if the cache has it: the one named {@code sandbox-<id>}, else among
     * those labelled with the id (a persistent sandbox's) one that is Ready and not being deleted
     * first (during a restart the old pod terminates while the new one starts).
     */
    public Optional<V1Pod> pod(String sandboxId) {
        V1Pod named = informer.getIndexer().getByKey(settings.namespace() + "/" + SandboxContract.podName(sandboxId));
        if (named != null) {
            return Optional.of(named);
        }
        return informer.getIndexer().byIndex(BY_SANDBOX_ID, sandboxId).stream()
                .max(Comparator.comparing(SandboxPodCache::usable));
    }

    /** Told of every pod change (the wake waiters listen for a pod turning Ready). */
    public void addHandler(ResourceEventHandler<V1Pod> handler) {
        informer.addEventHandler(handler);
    }

    /** Ready, serving and not going away: what a held request waits for. */
    public static boolean usable(V1Pod pod) {
        var status = pod.getStatus();
        return pod.getMetadata().getDeletionTimestamp() == null && status != null
                && "Running".equals(status.getPhase()) && status.getPodIP() != null && !status.getPodIP().isEmpty()
                && status.getConditions() != null && status.getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
