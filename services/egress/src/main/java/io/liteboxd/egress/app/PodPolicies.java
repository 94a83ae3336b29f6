package io.liteboxd.egress.app;

import static io.liteboxd.common.kubernetes.SandboxContract.*;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.AllowedDomains;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.egress.Allowlist;
import io.liteboxd.egress.SandboxPolicy;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A sandbox pod's egress policy, read from its labels and annotation (docs/contract.md): only a
 * pod that is a sandbox behind the proxy ({@code app=liteboxd}, {@code liteboxd.io/egress=proxy},
 * a {@code sandbox-id}, not a pool pod), Running, with an IP, not being deleted, and whose
 * {@code liteboxd.io/allowed-domains} is a list of domains has one. Anything else has none, and
 * the proxy denies a client without a policy everything (fail closed). Pure; reads the pod only.
 */
final class PodPolicies {

    private PodPolicies() {}

    static Optional<SandboxPolicy> of(V1Pod pod, Set<Integer> ports) {
        V1ObjectMeta meta = pod.getMetadata();
        if (meta == null || meta.getDeletionTimestamp() != null || podIp(pod).isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
        String sandboxId = labels.get(SANDBOX_ID_LABEL);
        if (!APP_VALUE.equals(labels.get(APP_LABEL)) || !behindEgressProxy(meta)
                || labels.containsKey(POOL_LABEL) || sandboxId == null || sandboxId.isEmpty()
                || pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
            return Optional.empty();
        }
        return AllowedDomains.parse(Annotations.get(pod, ALLOWED_DOMAINS_ANNOTATION)).flatMap(domains -> {
            try {
                return Optional.of(new SandboxPolicy(sandboxId, Allowlist.of(domains), ports));
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // an entry that is no domain: the whole list is suspect
            }
        });
    }

    /**
     * The pod's IP as an address, so that it compares with a client's whatever its spelling
     * ({@code fd00::1} and {@code fd00:0:0:0:0:0:0:1} are one address); empty without a valid one.
     */
    static Optional<InetAddress> address(V1Pod pod) {
        String ip = podIp(pod);
        try {
            return ip.isEmpty() ? Optional.empty() : Optional.of(InetAddress.ofLiteral(ip));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The pod's IP, empty when it has none yet. */
    static String podIp(V1Pod pod) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        return ip == null ? "" : ip;
    }
}
