package io.liteboxd.controller.kubernetes;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Caches;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.controller.ControllerSettings;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Predicate;

/**
 * The controller's one Deployment informer ({@code app=liteboxd} in the sandbox namespace): the
 * Deployments of persistent sandboxes, shared by idle suspend, wake and their TTL.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public class ControllerDeployments {

    public static final Predicate<V1Deployment> PERSISTENT = PersistentDeployment::isPersistent;

    private final SharedIndexInformer<V1Deployment> informer;
    private final String namespace;

    ControllerDeployments(SharedInformerFactory informers,
                          @Named(InformerClientFactory.INFORMER) ApiClient informerClient, ControllerSettings settings) {
        this.informer = Informers.sandboxDeployments(informers, informerClient, settings.sandboxNamespace());
        this.namespace = settings.sandboxNamespace();
    }

    public SharedIndexInformer<V1Deployment> informer() {
        return informer;
    }

    /** The cache keys of every persistent sandbox's Deployment (requeued when leading starts). */
    public List<String> persistentKeys() {
        return informer.getIndexer().list().stream().filter(PERSISTENT).map(Caches::metaNamespaceKeyFunc).toList();
    }

    /** The cache key of the Deployment of sandbox {@code id}. */
    public String keyOf(String sandboxId) {
        return namespace + "/" + SandboxContract.deploymentName(sandboxId);
    }
}
