package io.liteboxd.api.sandbox;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's one cache of sandbox pods (an informer on {@code app=liteboxd} in the sandbox
 * namespace): exec, files, logs, the reconciler and the self-test read pods here, never from the
 * API server; {@link SandboxPodListener}s (the status sync) get its events. Synced before the HTTP
 * server starts, since answers from a half-filled cache would be wrong. Cached objects are shared:
 * read them, never modify them.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class SandboxPodCache {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxPodCache.class);
    private static final String BY_SANDBOX_ID = "sandbox-id";

    private final SharedInformerFactory informers;
    private final SandboxSettings settings;
    private final SharedIndexInformer<V1Pod> informer;

    SandboxPodCache(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                    SandboxSettings settings, List<SandboxPodListener> listeners) {
        this.informers = informers;
        this.settings = settings;
        this.informer = Informers.sandboxPods(informers, informerClient, settings.namespace());
        // A persistent sandbox's pods have the Deployment's random names: found by their label.
        informer.addIndexers(Map.of(BY_SANDBOX_ID, pod -> {
            String id = SandboxStatusSync.sandboxId(pod);
            return id == null ? List.of() : List.of(id);
        }));
        listeners.forEach(informer::addEventHandler);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        Informers.startAndSync(informers, informer, "sandbox pod");
        LOG.info("watching sandbox pods in namespace {}", settings.namespace());
    }

    /** Whether the cache holds every pod the API server listed at start (absent then means absent). */
    public boolean synced() {
        return informer.hasSynced();
    }

    /** Every sandbox pod in the cache. */
    public List<V1Pod> pods() {
        return informer.getIndexer().list();
    }

    /**
     * The cached pod of a sandbox, if it has one: the pod named {@code sandbox-<id>} (ephemeral),
     * else the best of the pods labelled with the id ({@link BestPod}; a persistent sandbox's).
     */
    public Optional<V1Pod> pod(String sandboxId) {
        V1Pod named = informer.getIndexer().getByKey(settings.namespace() + "/" + SandboxContract.podName(sandboxId));
        if (named != null) {
            return Optional.of(named);
        }
        return BestPod.of(pods(sandboxId));
    }

    /** Every cached pod labelled with the sandbox's id. */
    public List<V1Pod> pods(String sandboxId) {
        return informer.getIndexer().byIndex(BY_SANDBOX_ID, sandboxId);
    }
}
