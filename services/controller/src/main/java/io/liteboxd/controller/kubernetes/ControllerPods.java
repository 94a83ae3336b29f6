package io.liteboxd.controller.kubernetes;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.prepull.PrepullContract;
import io.liteboxd.controller.ControllerSettings;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The controller's one pod informer: sandbox pods, pool pods and pre-pull pods of the sandbox namespace.
 * (An informer factory keeps a single informer per type, so two pod informers with different
 * selectors would replace each other.) Each user filters with {@link #SANDBOX}, {@link #POOL} or {@link #PREPULL}.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public class ControllerPods {

    /** Sandbox pods; a pool's unclaimed pods carry {@code app=liteboxd} too but are no sandbox yet. */
    public static final Predicate<V1Pod> SANDBOX = pod -> SandboxContract.APP_VALUE.equals(app(pod))
            && SandboxContract.poolOf(pod.getMetadata()) == null;
    /** A warm pool's unclaimed pods (docs/contract.md, Warm pools). */
    public static final Predicate<V1Pod> POOL = pod -> SandboxContract.APP_VALUE.equals(app(pod))
            && SandboxContract.poolOf(pod.getMetadata()) != null;
    /** Pods of persistent sandboxes: their Deployment, not the pod, carries the lifecycle annotations. */
    public static final Predicate<V1Pod> PERSISTENT = SANDBOX.and(PersistentDeployment::isPersistent);
    public static final Predicate<V1Pod> PREPULL = pod -> PrepullContract.APP_VALUE.equals(app(pod));

    /** Pods of persistent sandboxes have the Deployment's random names: found by this index. */
    static final String BY_SANDBOX_ID = "sandbox-id";

    private final SharedIndexInformer<V1Pod> informer;

    ControllerPods(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                   ControllerSettings settings) {
        this.informer = Informers.pods(informers, informerClient, settings.sandboxNamespace(),
                "app in (" + SandboxContract.APP_VALUE + "," + PrepullContract.APP_VALUE + ")");
        informer.addIndexers(Map.of(BY_SANDBOX_ID, pod -> {
            String id = SANDBOX.test(pod) ? PersistentDeployment.sandboxId(pod) : null;
            return id == null ? List.of() : List.of(id);
        }));
    }

    /** The cached sandbox pods labelled {@code sandbox-id=<id>} (a persistent sandbox's, by label). */
    public List<V1Pod> bySandboxId(String sandboxId) {
        return informer.getIndexer().byIndex(BY_SANDBOX_ID, sandboxId);
    }

    public SharedIndexInformer<V1Pod> informer() {
        return informer;
    }

    private static String app(V1Pod pod) {
        Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(SandboxContract.APP_LABEL);
    }
}
