package io.liteboxd.egress.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodStatus;
import io.liteboxd.egress.SandboxPolicy;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodPoliciesTest {

    private static final Set<Integer> PORTS = Set.of(80, 443);

    static V1Pod pod(String domains) {
        Map<String, String> labels = new HashMap<>(Map.of("app", "liteboxd", "sandbox-id", "1a2b3c4d",
                "liteboxd.io/egress", "proxy"));
        Map<String, String> annotations = new HashMap<>();
        if (domains != null) {
            annotations.put("liteboxd.io/allowed-domains", domains);
        }
        return new V1Pod().metadata(new V1ObjectMeta().name("sandbox-1a2b3c4d").labels(labels).annotations(annotations))
                .status(new V1PodStatus().phase("Running").podIP("10.244.0.7"));
    }

    @Test
    void aRunningSandboxBehindTheProxyHasItsAllowlist() {
        SandboxPolicy policy = PodPolicies.of(pod("[\"pypi.org\",\"*.example.com\"]"), PORTS).orElseThrow();
        assertEquals("1a2b3c4d", policy.sandboxId());
        assertEquals(PORTS, policy.ports());
        assertTrue(policy.allowlist().allows("pypi.org"));
        assertTrue(policy.allowlist().allows("a.example.com"));
        assertFalse(policy.allowlist().allows("example.com"));
        assertFalse(policy.allowlist().allows("evil.org"));
    }

    @Test
    void anEmptyListAllowsNothingButIsAPolicy() {
        SandboxPolicy policy = PodPolicies.of(pod("[]"), PORTS).orElseThrow();
        assertFalse(policy.allowlist().allows("pypi.org"));
    }

    @Test
    void aBadAnnotationIsNoPolicy() {
        for (String bad : new String[] {null, "", "pypi.org", "[\"10.0.0.1\"]", "[\"pypi.org\",\"a b\"]", "[1]", "{}"}) {
            assertEquals(Optional.empty(), PodPolicies.of(pod(bad), PORTS), () -> "policy from " + bad);
        }
    }

    @Test
    void onlyRunningClaimedSandboxesBehindTheProxyWithAnIpHaveOne() {
        String domains = "[\"pypi.org\"]";
        V1Pod pending = pod(domains);
        pending.getStatus().phase("Pending");
        V1Pod noIp = pod(domains);
        noIp.getStatus().podIP(null);
        V1Pod deleting = pod(domains);
        deleting.getMetadata().deletionTimestamp(OffsetDateTime.now());
        V1Pod pool = pod(domains);
        pool.getMetadata().getLabels().put("liteboxd.io/pool", "tpl");
        V1Pod open = pod(domains);
        open.getMetadata().getLabels().remove("liteboxd.io/egress");
        V1Pod other = pod(domains);
        other.getMetadata().getLabels().put("app", "other");
        V1Pod anonymous = pod(domains);
        anonymous.getMetadata().getLabels().remove("sandbox-id");
        for (V1Pod pod : new V1Pod[] {pending, noIp, deleting, pool, open, other, anonymous, new V1Pod()}) {
            assertEquals(Optional.empty(), PodPolicies.of(pod, PORTS), () -> String.valueOf(pod.getMetadata()));
        }
    }

    @Test
    void readsThePodWithoutChangingIt() {
        V1Pod pod = pod("[\"pypi.org\"]");
        String before = pod.toString();
        PodPolicies.of(pod, PORTS);
        assertEquals(before, pod.toString());
    }

    @Test
    void ipv6AddressesCompareWhateverTheirSpelling() {
        V1Pod pod = pod("[]");
        pod.getStatus().podIP("fd00::7");
        assertEquals("fd00:0:0:0:0:0:0:7", PodPolicies.address(pod).orElseThrow().getHostAddress());
        pod.getStatus().podIP("not-an-ip");
        assertEquals(Optional.empty(), PodPolicies.address(pod));
    }
}
