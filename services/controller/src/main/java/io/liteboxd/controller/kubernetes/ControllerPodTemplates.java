package io.liteboxd.controller.kubernetes;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Caches;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1PodTemplate;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.controller.ControllerSettings;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;

/** The controller's PodTemplate informer: one PodTemplate per warm pool (docs/contract.md, Warm pools). */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public class ControllerPodTemplates {

    private final SharedIndexInformer<V1PodTemplate> informer;
    private final String namespace;

    ControllerPodTemplates(SharedInformerFactory informers,
                           @Named(InformerClientFactory.INFORMER) ApiClient informerClient, ControllerSettings settings) {
        this.informer = Informers.poolTemplates(informers, informerClient, settings.sandboxNamespace());
        this.namespace = settings.sandboxNamespace();
    }

    public SharedIndexInformer<V1PodTemplate> informer() {
        return informer;
    }

    public List<String> keys() {
        return informer.getIndexer().list().stream().map(Caches::metaNamespaceKeyFunc).toList();
    }

    /** The cache key of the pool of {@code template}. */
    public String keyOf(String template) {
        return namespace + "/" + SandboxContract.poolName(template);
    }
}
