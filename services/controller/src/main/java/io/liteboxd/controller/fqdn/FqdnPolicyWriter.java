package io.liteboxd.controller.fqdn;

import static io.liteboxd.common.kubernetes.SandboxContract.ALLOWED_DOMAINS_ANNOTATION;

import com.google.gson.Gson;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Caches;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import io.liteboxd.common.kubernetes.AllowedDomains;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.workqueue.Reconciler;
import io.liteboxd.controller.kubernetes.ControllerPods;
import io.liteboxd.controller.leader.Leadership;
import io.liteboxd.controller.workqueue.EnqueueKeys;
import io.liteboxd.controller.workqueue.LeaderLoops;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cilium mode of the domain allowlists (docs/security.md, Egress modes): for every sandbox pod
 * behind the egress proxy, the leader server-side-applies {@link CiliumFqdnPolicy} from the pod's
 * {@code liteboxd.io/allowed-domains}. The annotation stays the one source: a live edit through
 * the API changes it, the pod's update event brings the key here, and the policy follows. Nothing
 * is deleted here; the policy's owner reference to the pod lets Kubernetes collect it.
 */
@Singleton
@Requires(beans = Leadership.class)
@Requires(property = "liteboxd.fqdn-policies.enabled", value = "true")
public class FqdnPolicyWriter implements Reconciler<String> {

    static final String FIELD_MANAGER = "liteboxd-controller";
    private static final Logger LOG = LoggerFactory.getLogger(FqdnPolicyWriter.class);
    private static final Gson JSON = new Gson();
    private static final Predicate<V1Pod> BEHIND_PROXY = ControllerPods.SANDBOX.and(pod ->
            SandboxContract.behindEgressProxy(pod.getMetadata()));

    private final SharedInformerFactory informers;
    private final ControllerPods controllerPods;
    private final LeaderLoops loops;
    /** Parsed once from the settings: the same for every policy. */
    private final CiliumFqdnPolicy.DnsPeer dnsPeer;
    private final CustomObjectsApi custom;
    /** Per pod key, the pod UID and allowlist last applied: unrelated pod events apply nothing. */
    private final Map<String, String> applied = new ConcurrentHashMap<>();
    private final Counter writes;
    private SharedIndexInformer<V1Pod> pods;

    FqdnPolicyWriter(SharedInformerFactory informers, ControllerPods controllerPods, LeaderLoops loops,
                     FqdnPolicySettings settings, ApiClient client, MeterRegistry registry) {
        this.informers = informers;
        this.controllerPods = controllerPods;
        this.loops = loops;
        this.dnsPeer = settings.dnsPeer();
        this.custom = new CustomObjectsApi(client);
        this.writes = Counter.builder("liteboxd.controller.fqdn.policies.applied")
                .description("CiliumNetworkPolicies (toFQDNs) applied for sandboxes behind the egress proxy")
                .register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        pods = controllerPods.informer();
        var loop = loops.start("fqdn-policy", 1, this, () -> pods.getIndexer().list().stream()
                .filter(BEHIND_PROXY).map(Caches::metaNamespaceKeyFunc).toList());
        pods.addEventHandler(EnqueueKeys.own(loop.queue(), BEHIND_PROXY));
        Informers.startAndSync(informers, pods, "sandbox pod");
    }

    @Override
    public Result reconcile(String key) throws ApiException {
        V1Pod pod = pods.getIndexer().getByKey(key);
        if (pod == null || !BEHIND_PROXY.test(pod) || pod.getMetadata().getDeletionTimestamp() != null) {
            applied.remove(key);
            return Result.done();
        }
        String annotation = Annotations.get(pod, ALLOWED_DOMAINS_ANNOTATION);
        // No list, or one that does not parse: no domain at all (fail closed, as the proxy does).
        List<String> domains = AllowedDomains.parse(annotation).orElse(List.of());
        String sandboxId = PersistentDeployment.sandboxId(pod);
        String state = pod.getMetadata().getUid() + "\n" + annotation;
        if (sandboxId == null || state.equals(applied.get(key))) {
            return Result.done();
        }
        Map<String, Object> policy = CiliumFqdnPolicy.of(pod, sandboxId, domains, dnsPeer);
        V1Patch patch = new V1Patch(JSON.toJson(policy));
        String namespace = pod.getMetadata().getNamespace();
        String name = CiliumFqdnPolicy.name(sandboxId);
        PatchUtils.patch(Object.class, () -> custom.patchNamespacedCustomObject(CiliumFqdnPolicy.GROUP,
                        CiliumFqdnPolicy.VERSION, namespace, CiliumFqdnPolicy.PLURAL, name, patch)
                        .fieldManager(FIELD_MANAGER).force(true).buildCall(null),
                V1Patch.PATCH_FORMAT_APPLY_YAML, custom.getApiClient());
        applied.put(key, state);
        writes.increment();
        LOG.atInfo().addKeyValue("sandbox", sandboxId).addKeyValue("domains", domains.size())
                .log("applied {} for {}", name, pod.getMetadata().getName());
        return Result.done();
    }
}
