package io.liteboxd.egress.app;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.egress.SandboxPolicy;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Policies from an informer over the sandbox pods behind the proxy
 * ({@link SandboxContract#egressProxySelector()}), indexed by pod IP. Each lookup reads the pod
 * as the cache has it now, so an edited {@code liteboxd.io/allowed-domains} counts from the next
 * request on, without a restart. Cached objects are shared: read, never changed.
 */
@Singleton
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
class PodPolicyIndex implements SandboxPolicies {

    private static final Logger LOG = LoggerFactory.getLogger(PodPolicyIndex.class);
    private static final String BY_IP = "pod-ip";

    private final SharedInformerFactory informers;
    private final SharedIndexInformer<V1Pod> informer;
    private final EgressSettings settings;
    private final Set<Integer> ports;

    PodPolicyIndex(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                   EgressSettings settings) {
        this.informers = informers;
        this.settings = settings;
        this.ports = settings.portSet();
        this.informer = Informers.pods(informers, informerClient, settings.namespace(),
                SandboxContract.egressProxySelector());
        informer.addIndexers(Map.of(BY_IP, pod -> PodPolicies.address(pod).map(a -> List.of(a.getHostAddress()))
                .orElse(List.of())));
    }

    @Override
    public void sync() throws InterruptedException {
        Informers.startAndSync(informers, informer, "sandbox pod");
        LOG.info("watching sandbox pods behind the egress proxy in namespace {}", settings.namespace());
    }

    /**
     * The policy of the one sandbox at {@code client}. Two pods with a policy at one address (an
     * IP reused while the cache catches up) are ambiguous: denied rather than guessed.
     */
    @Override
    public Optional<SandboxPolicy> lookup(InetAddress client) {
        List<SandboxPolicy> policies = informer.getIndexer().byIndex(BY_IP, client.getHostAddress()).stream()
                .map(pod -> PodPolicies.of(pod, ports))
                .flatMap(Optional::stream)
                .toList();
        return policies.size() == 1 ? Optional.of(policies.getFirst()) : Optional.empty();
    }
}
