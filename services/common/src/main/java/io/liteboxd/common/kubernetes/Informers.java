package io.liteboxd.common.kubernetes;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1DaemonSetList;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodList;
import io.kubernetes.client.openapi.models.V1PodTemplate;
import io.kubernetes.client.openapi.models.V1PodTemplateList;
import io.liteboxd.common.prepull.PrepullContract;
import java.time.Duration;
import java.time.Instant;

/**
 * Informers the services share: the sandbox pods of a namespace ({@code app=liteboxd}) and a
 * blocking start that returns once the cache is complete, so nothing answers from a half-filled
 * cache. Informers need the read-timeout-free client ({@link InformerClientFactory#INFORMER}).
 */
public final class Informers {

    /** How long a first list may take before the service gives up starting. */
    public static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

    private Informers() {}

    /** Registers (does not start) the informer of the sandbox pods in {@code namespace}. */
    public static SharedIndexInformer<V1Pod> sandboxPods(SharedInformerFactory factory, ApiClient informerClient,
                                                         String namespace) {
        return pods(factory, informerClient, namespace, SandboxContract.selector());
    }

    /**
     * Registers the pod informer of a namespace. A factory holds one informer per type: a
     * process that needs pods of several kinds registers one informer whose selector covers
     * them all and filters in its handlers.
     */
    public static SharedIndexInformer<V1Pod> pods(SharedInformerFactory factory, ApiClient informerClient,
                                                  String namespace, String labelSelector) {
        CoreV1Api api = new CoreV1Api(informerClient);
        return factory.sharedIndexInformerFor(
                params -> api.listNamespacedPod(namespace)
                        .labelSelector(labelSelector)
                        .resourceVersion(params.resourceVersion)
                        .timeoutSeconds(params.timeoutSeconds)
                        .watch(params.watch)
                        .buildCall(null),
                V1Pod.class, V1PodList.class);
    }

    /**
     * Registers the informer of the sandbox Deployments in {@code namespace} ({@code app=liteboxd}:
     * persistent sandboxes, docs/contract.md); users filter on {@link SandboxContract#PERSISTENT_LABEL}.
     */
    public static SharedIndexInformer<V1Deployment> sandboxDeployments(SharedInformerFactory factory,
                                                                       ApiClient informerClient, String namespace) {
        AppsV1Api api = new AppsV1Api(informerClient);
        return factory.sharedIndexInformerFor(
                params -> api.listNamespacedDeployment(namespace)
                        .labelSelector(SandboxContract.selector())
                        .resourceVersion(params.resourceVersion)
                        .timeoutSeconds(params.timeoutSeconds)
                        .watch(params.watch)
                        .buildCall(null),
                V1Deployment.class, V1DeploymentList.class);
    }

    /** Registers the informer of the pools' PodTemplates in {@code namespace} (docs/contract.md, Warm pools). */
    public static SharedIndexInformer<V1PodTemplate> poolTemplates(SharedInformerFactory factory,
                                                                   ApiClient informerClient, String namespace) {
        CoreV1Api api = new CoreV1Api(informerClient);
        return factory.sharedIndexInformerFor(
                params -> api.listNamespacedPodTemplate(namespace)
                        .labelSelector(SandboxContract.POOL_LABEL)
                        .resourceVersion(params.resourceVersion)
                        .timeoutSeconds(params.timeoutSeconds)
                        .watch(params.watch)
                        .buildCall(null),
                V1PodTemplate.class, V1PodTemplateList.class);
    }

    /** Registers the informer of the pre-pull DaemonSets in {@code namespace} (docs/contract.md). */
    public static SharedIndexInformer<V1DaemonSet> prepullDaemonSets(SharedInformerFactory factory,
                                                                     ApiClient informerClient, String namespace) {
        AppsV1Api api = new AppsV1Api(informerClient);
        return factory.sharedIndexInformerFor(
                params -> api.listNamespacedDaemonSet(namespace)
                        .labelSelector(PrepullContract.selector())
                        .resourceVersion(params.resourceVersion)
                        .timeoutSeconds(params.timeoutSeconds)
                        .watch(params.watch)
                        .buildCall(null),
                V1DaemonSet.class, V1DaemonSetList.class);
    }

    /**
     * Starts every registered informer not started yet and waits until {@code informer} has
     * synced. The factory starts each informer once, so several components can call this.
     */
    public static <T extends KubernetesObject> void startAndSync(SharedInformerFactory factory,
                                                                 SharedIndexInformer<T> informer, String what)
            throws InterruptedException {
        factory.startAllRegisteredInformers();
        Instant deadline = Instant.now().plus(SYNC_TIMEOUT);
        while (!informer.hasSynced()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the " + what + " informer did not sync within " + SYNC_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }
}
