package io.liteboxd.api.pool;

import static io.liteboxd.common.kubernetes.SandboxContract.*;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.SandboxPodStatus;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The API's cache of unclaimed pool pods ({@code app=liteboxd,liteboxd.io/pool}), indexed by pool
 * and pod-template hash. It has an informer factory of its own: a factory keeps one informer per
 * type, and the sandbox pod cache's selector must leave pool pods out (they are no sandboxes).
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class PoolPodCache {

    private static final String BY_POOL_HASH = "pool-hash";

    private final SharedInformerFactory factory;
    private final SharedIndexInformer<V1Pod> informer;

    PoolPodCache(@Named(InformerClientFactory.INFORMER) ApiClient informerClient, SandboxSettings settings) {
        this.factory = new SharedInformerFactory(informerClient);
        this.informer = Informers.pods(factory, informerClient, settings.namespace(),
                APP_LABEL + "=" + APP_VALUE + "," + POOL_LABEL);
        informer.addIndexers(Map.of(BY_POOL_HASH, pod -> {
            Map<String, String> labels = pod.getMetadata().getLabels();
            return labels == null ? List.of() : List.of(labels.get(POOL_LABEL) + "/" + labels.get(POOL_HASH));
        }));
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        Informers.startAndSync(factory, informer, "pool pod");
    }

    @PreDestroy
    void close() {
        factory.stopAllRegisteredInformers();
    }

    /** Ready, unclaimed pods of {@code pool} with {@code hash}, oldest first. */
    List<V1Pod> ready(String pool, String hash) {
        return informer.getIndexer().byIndex(BY_POOL_HASH, pool + "/" + hash).stream()
                .filter(PoolPodCache::ready)
                .sorted(Comparator.comparing((V1Pod p) -> p.getMetadata().getCreationTimestamp(),
                        Comparator.nullsLast(Comparator.<OffsetDateTime>naturalOrder())))
                .toList();
    }

    /** Every unclaimed pod of {@code pool}. */
    List<V1Pod> all(String pool) {
        return informer.getIndexer().list().stream()
                .filter(p -> pool.equals(poolOf(p.getMetadata()))).toList();
    }

    static boolean ready(V1Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() == null && SandboxPodStatus.runningAndReady(pod);
    }
}
