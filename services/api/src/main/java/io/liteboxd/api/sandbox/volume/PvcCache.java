package io.liteboxd.api.sandbox.volume;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimList;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;

/** An informer cache of the sandbox namespace's PVCs labelled {@code app=liteboxd}. */
@Singleton
@Requires(beans = SandboxSettings.class)
class PvcCache {

    private final SharedInformerFactory informers;
    private final CoreV1Api watchApi;
    private final SandboxSettings settings;
    private SharedIndexInformer<V1PersistentVolumeClaim> informer;

    PvcCache(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
             SandboxSettings settings) {
        this.informers = informers;
        this.watchApi = new CoreV1Api(informerClient);
        this.settings = settings;
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        informer = informers.sharedIndexInformerFor(
                params -> watchApi.listNamespacedPersistentVolumeClaim(settings.namespace())
                        .labelSelector(SandboxContract.selector())
                        .resourceVersion(params.resourceVersion)
                        .timeoutSeconds(params.timeoutSeconds)
                        .watch(params.watch)
                        .buildCall(null),
                V1PersistentVolumeClaim.class, V1PersistentVolumeClaimList.class);
        Informers.startAndSync(informers, informer, "PVC");
    }

    /** Shared cached objects: read, never modify. */
    List<V1PersistentVolumeClaim> list() {
        return informer.getIndexer().list();
    }
}
