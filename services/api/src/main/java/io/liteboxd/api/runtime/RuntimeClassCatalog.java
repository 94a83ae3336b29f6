package io.liteboxd.api.runtime;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.NodeV1Api;
import io.kubernetes.client.openapi.models.V1RuntimeClass;
import io.kubernetes.client.openapi.models.V1RuntimeClassList;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * The cluster's RuntimeClasses, from an informer: a template or sandbox naming one that does not
 * exist is refused with a 400 instead of a pod the API server rejects. Cluster-scoped, so the
 * API's ServiceAccount has a ClusterRole for exactly {@code runtimeclasses} get/list/watch.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public class RuntimeClassCatalog {

    private final SharedInformerFactory informers;
    private final NodeV1Api watchApi;
    private SharedIndexInformer<V1RuntimeClass> informer;

    RuntimeClassCatalog(SharedInformerFactory informers,
                        @Named(InformerClientFactory.INFORMER) ApiClient informerClient) {
        this.informers = informers;
        this.watchApi = new NodeV1Api(informerClient);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        informer = informers.sharedIndexInformerFor(
                params -> watchApi.listRuntimeClass()
                        .resourceVersion(params.resourceVersion)
                        .timeoutSeconds(params.timeoutSeconds)
                        .watch(params.watch)
                        .buildCall(null),
                V1RuntimeClass.class, V1RuntimeClassList.class);
        Informers.startAndSync(informers, informer, "RuntimeClass");
    }

    public boolean exists(String name) {
        return informer.getIndexer().getByKey(name) != null;
    }

    /** The handler of RuntimeClass {@code name} ({@code runsc} for gVisor), when the cluster has it. */
    public Optional<String> handler(String name) {
        return Optional.ofNullable(informer.getIndexer().getByKey(name)).map(V1RuntimeClass::getHandler);
    }

    /** The names, sorted, for error messages and the self-test report. */
    public List<String> names() {
        return informer.getIndexer().listKeys().stream().sorted().toList();
    }
}
