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
import java.util.Map;
import java.util.function.Predicate;

/**
 * The controller's one pod informer: sandbox pods and pre-pull pods of the sandbox namespace.
 * (An informer factory keeps a single informer per type, so two pod informers with different
 * selectors would replace each other.) Each user filters with {@link #sandbox} or {@link #prepull}.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public class ControllerPods {

    public static final Predicate<V1Pod> SANDBOX = pod -> SandboxContract.APP_VALUE.equals(app(pod));
    public static final Predicate<V1Pod> PREPULL = pod -> PrepullContract.APP_VALUE.equals(app(pod));

    private final SharedIndexInformer<V1Pod> informer;

    ControllerPods(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                   ControllerSettings settings) {
        this.informer = Informers.pods(informers, informerClient, settings.sandboxNamespace(),
                "app in (" + SandboxContract.APP_VALUE + "," + PrepullContract.APP_VALUE + ")");
    }

    public SharedIndexInformer<V1Pod> informer() {
        return informer;
    }

    private static String app(V1Pod pod) {
        Map<String, String> labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        return labels == null ? null : labels.get(SandboxContract.APP_LABEL);
    }
}
