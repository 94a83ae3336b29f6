package io.liteboxd.gateway.sandbox;

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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox pods, from an informer: every request is checked against this cache, never
 * against the API server or the API's database (docs/contract.md). Cached objects are shared:
 * read them, never change them.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public class SandboxPodCache {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxPodCache.class);

    private final SharedInformerFactory informers;
    private final ApiClient informerClient;
    private final GatewaySettings settings;
    private SharedIndexInformer<V1Pod> informer;

    SandboxPodCache(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                    GatewaySettings settings) {
        this.informers = informers;
        this.informerClient = informerClient;
        this.settings = settings;
    }

    /** Before the HTTP server starts: until the cache is full every sandbox would look unknown. */
    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        informer = Informers.sandboxPods(informers, informerClient, settings.namespace());
        Informers.startAndSync(informers, informer, "sandbox pod");
        LOG.info("watching sandbox pods in namespace {}", settings.namespace());
    }

    /** The pod of a sandbox, if the cache has it. */
    public Optional<V1Pod> pod(String sandboxId) {
        return Optional.ofNullable(informer.getIndexer()
                .getByKey(settings.namespace() + "/" + SandboxContract.podName(sandboxId)));
    }
}
