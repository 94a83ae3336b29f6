package io.liteboxd.api.pool;

import static io.liteboxd.common.kubernetes.SandboxContract.*;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodTemplate;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pools' PodTemplates (docs/contract.md, Warm pools): read from an informer, written here only.
 * A write replaces the whole PodTemplate (with the resourceVersion just read, once more on a
 * conflict), keeping the controller's status annotation, so a key removed from the pod template
 * is removed in Kubernetes too.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class PoolTemplates {

    private final SharedInformerFactory informers;
    private final SharedIndexInformer<V1PodTemplate> informer;
    private final CoreV1Api core;
    private final String namespace;

    PoolTemplates(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                  CoreV1Api core, SandboxSettings settings) {
        this.informers = informers;
        this.core = core;
        this.namespace = settings.namespace();
        this.informer = Informers.poolTemplates(informers, informerClient, namespace);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        Informers.startAndSync(informers, informer, "pool PodTemplate");
    }

    Optional<V1PodTemplate> get(String template) {
        return Optional.ofNullable(informer.getIndexer().getByKey(namespace + "/" + poolName(template)));
    }

    /**
     * The pool of {@code template} for a reader that must see a write that already returned (its
     * own, or another replica's): the informer's copy, else the API server's, which the informer
     * may not have caught up with yet. Only a pool the informer lacks costs a read, once per call.
     */
    Optional<V1PodTemplate> getWritten(String template) throws ApiException {
        Optional<V1PodTemplate> cached = get(template);
        if (cached.isPresent()) {
            return cached;
        }
        try {
            return Optional.of(core.readNamespacedPodTemplate(poolName(template), namespace).execute());
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    List<V1PodTemplate> all() {
        return informer.getIndexer().list();
    }

    /** Creates or replaces the pool of {@code template}; true when it was created. */
    boolean write(String template, int min, int max, String hash, V1PodTemplateSpec pod) throws ApiException {
        String name = poolName(template);
        for (int attempt = 0; ; attempt++) {
            V1PodTemplate current;
            try {
                current = core.readNamespacedPodTemplate(name, namespace).execute();
            } catch (ApiException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                core.createNamespacedPodTemplate(namespace, desired(template, min, max, hash, pod, null)).execute();
                return true;
            }
            try {
                core.replaceNamespacedPodTemplate(name, namespace, desired(template, min, max, hash, pod, current)).execute();
                return false;
            } catch (ApiException e) {
                if (e.getCode() != 409 || attempt > 0) {
                    throw e;
                }
            }
        }
    }

    void delete(String template) throws ApiException {
        try {
            core.deleteNamespacedPodTemplate(poolName(template), namespace).execute();
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private V1PodTemplate desired(String template, int min, int max, String hash, V1PodTemplateSpec pod,
                                  V1PodTemplate current) {
        Map<String, String> annotations = new HashMap<>();
        if (current != null && current.getMetadata().getAnnotations() != null
                && current.getMetadata().getAnnotations().containsKey(POOL_STATUS_ANNOTATION)) {
            annotations.put(POOL_STATUS_ANNOTATION, current.getMetadata().getAnnotations().get(POOL_STATUS_ANNOTATION));
        }
        annotations.put(POOL_MIN_ANNOTATION, Integer.toString(min));
        annotations.put(POOL_MAX_ANNOTATION, Integer.toString(max));
        annotations.put(POOL_HASH, hash);
        V1ObjectMeta meta = new V1ObjectMeta().name(poolName(template)).namespace(namespace)
                .labels(Map.of(POOL_LABEL, template, MANAGED_BY_LABEL, MANAGED_BY_VALUE)).annotations(annotations);
        if (current != null) {
            meta.resourceVersion(current.getMetadata().getResourceVersion());
        }
        return new V1PodTemplate().metadata(meta).template(pod);
    }
}
