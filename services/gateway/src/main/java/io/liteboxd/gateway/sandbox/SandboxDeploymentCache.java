package io.liteboxd.gateway.sandbox;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The Deployments of persistent sandboxes, from an informer (docs/contract.md, Persistent
 * sandboxes): a stopped sandbox has no pod, so its token hash, its idle timeout and whether it is
 * stopped are read here. Cached objects are shared: read them, never change them.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public class SandboxDeploymentCache {

    private final SharedInformerFactory informers;
    private final GatewaySettings settings;
    private final SharedIndexInformer<V1Deployment> informer;

    SandboxDeploymentCache(SharedInformerFactory informers,
                           @Named(InformerClientFactory.INFORMER) ApiClient informerClient, GatewaySettings settings) {
        this.informers = informers;
        this.settings = settings;
        this.informer = Informers.sandboxDeployments(informers, informerClient, settings.namespace());
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        Informers.startAndSync(informers, informer, "sandbox Deployment");
    }

    /** The Deployment of a persistent sandbox, if the cache has one. */
    public Optional<V1Deployment> persistent(String sandboxId) {
        return Optional.ofNullable(informer.getIndexer()
                        .getByKey(settings.namespace() + "/" + SandboxContract.deploymentName(sandboxId)))
                .filter(PersistentDeployment::isPersistent);
    }

    public void addHandler(ResourceEventHandler<V1Deployment> handler) {
        informer.addEventHandler(handler);
    }
}
