package io.liteboxd.api.sandbox;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * The API's cache of persistent sandboxes' Deployments ({@code app=liteboxd} in the sandbox
 * namespace): their status, stop/start and the reconciler read here, never from the API server;
 * {@link SandboxDeploymentListener}s get its events. Synced before the HTTP server starts.
 * Cached objects are shared: read them, never modify them.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class SandboxDeploymentCache {

    private final SharedInformerFactory informers;
    private final SandboxSettings settings;
    private final SharedIndexInformer<V1Deployment> informer;

    SandboxDeploymentCache(SharedInformerFactory informers,
                           @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                           SandboxSettings settings, List<SandboxDeploymentListener> listeners) {
        this.informers = informers;
        this.settings = settings;
        this.informer = Informers.sandboxDeployments(informers, informerClient, settings.namespace());
        listeners.forEach(informer::addEventHandler);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        Informers.startAndSync(informers, informer, "sandbox Deployment");
    }

    public List<V1Deployment> deployments() {
        return informer.getIndexer().list();
    }

    /** The cached Deployment of a persistent sandbox, if it exists. */
    public Optional<V1Deployment> deployment(String sandboxId) {
        return Optional.ofNullable(informer.getIndexer()
                .getByKey(settings.namespace() + "/" + SandboxContract.deploymentName(sandboxId)));
    }
}
