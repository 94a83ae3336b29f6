package io.liteboxd.api.sandbox;

import static io.liteboxd.common.kubernetes.SandboxContract.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.hardening.SandboxPodHardening;
import io.liteboxd.api.template.TemplateSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SandboxEgressTest {

    private static final String PROXY = "http://liteboxd-egress.liteboxd.svc.cluster.local:3128";
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static TemplateSpec spec(TemplateSpec.Network network) {
        return new TemplateSpec("img", null, null, new TemplateSpec.Resources("1", "1Gi"), 60, null, null, 300,
                null, null, network, null, null, null, null);
    }

    private static SandboxPods.Plan plan(TemplateSpec.Network network, Map<String, String> env, String proxyUrl) {
        return new SandboxPods.Plan("1a2b3c4d", "ns", "tpl", 1, spec(network), "1", "1Gi", 60, env, "hash", NOW,
                NOW.plusSeconds(60), NOW.plusSeconds(300), BigDecimal.ZERO, null, proxyUrl);
    }

    private static final TemplateSpec.Network ALLOWLIST =
            new TemplateSpec.Network(true, List.of("pypi.org", "*.example.com"));

    private static Map<String, String> env(V1Container main) {
        return main.getEnv().stream().collect(Collectors.toMap(V1EnvVar::getName, v -> v.getValue() == null ? "" : v.getValue()));
    }

    @Test
    void anAllowlistedSandboxGoesThroughTheProxy() {
        V1Pod pod = SandboxPods.build(plan(ALLOWLIST, Map.of("HTTP_PROXY", "http://mine:1", "A", "1"), PROXY),
                SandboxPodsTest.DEFAULTS, SandboxPodsTest.LAUNCHER_IMAGE);
        assertEquals(EGRESS_PROXY, pod.getMetadata().getLabels().get(EGRESS_LABEL));
        assertNull(pod.getMetadata().getLabels().get(INTERNET_ACCESS_LABEL), "never free internet as well");
        assertEquals("[\"pypi.org\",\"*.example.com\"]", pod.getMetadata().getAnnotations().get(ALLOWED_DOMAINS_ANNOTATION));
        Map<String, String> env = env(pod.getSpec().getContainers().getFirst());
        for (String name : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")) {
            assertEquals(PROXY, env.get(name), name + " is the proxy, whatever the template said");
        }
        assertEquals("localhost,127.0.0.1", env.get("NO_PROXY"));
        assertEquals("localhost,127.0.0.1", env.get("no_proxy"));
        assertEquals("1", env.get("A"));
        assertEquals(1, pod.getSpec().getContainers().getFirst().getEnv().stream()
                .filter(v -> v.getName().equals("HTTP_PROXY")).count());
    }

    @Test
    void withTheProxyOffTheSandboxIsMarkedButGetsNoProxyVariables() {
        V1Pod pod = SandboxPods.build(plan(ALLOWLIST, Map.of(), ""), SandboxPodsTest.DEFAULTS, SandboxPodsTest.LAUNCHER_IMAGE);
        assertEquals(EGRESS_PROXY, pod.getMetadata().getLabels().get(EGRESS_LABEL));
        assertFalse(env(pod.getSpec().getContainers().getFirst()).containsKey("HTTP_PROXY"));
    }

    @Test
    void freeOrNoInternetAccessHasNoProxy() {
        for (TemplateSpec.Network network : new TemplateSpec.Network[] {null, new TemplateSpec.Network(true, List.of()),
                new TemplateSpec.Network(false, List.of("pypi.org")), new TemplateSpec.Network(true, null)}) {
            V1Pod pod = SandboxPods.build(plan(network, Map.of(), PROXY), SandboxPodsTest.DEFAULTS,
                    SandboxPodsTest.LAUNCHER_IMAGE);
            assertNull(pod.getMetadata().getLabels().get(EGRESS_LABEL), String.valueOf(network));
            assertNull(pod.getMetadata().getAnnotations().get(ALLOWED_DOMAINS_ANNOTATION));
            assertFalse(env(pod.getSpec().getContainers().getFirst()).containsKey("HTTPS_PROXY"));
            boolean free = network != null && network.allowInternetAccess()
                    && (network.allowedDomains() == null || network.allowedDomains().isEmpty());
            assertEquals(free ? "true" : null, pod.getMetadata().getLabels().get(INTERNET_ACCESS_LABEL));
        }
    }

    @Test
    void aPersistentSandboxsPodsCarryTheSame() {
        V1Deployment deployment = PersistentObjects.deployment(plan(ALLOWLIST, Map.of(), PROXY), SandboxPodsTest.DEFAULTS,
                0, SandboxPodsTest.LAUNCHER_IMAGE);
        var template = deployment.getSpec().getTemplate();
        assertEquals(EGRESS_PROXY, template.getMetadata().getLabels().get(EGRESS_LABEL));
        assertEquals("[\"pypi.org\",\"*.example.com\"]", template.getMetadata().getAnnotations().get(ALLOWED_DOMAINS_ANNOTATION));
        assertEquals("hash", template.getMetadata().getAnnotations().get(TOKEN_SHA256_ANNOTATION));
        assertEquals(PROXY, env(template.getSpec().getContainers().getFirst()).get("HTTPS_PROXY"));
    }

    @Test
    void theProxyUrlIsHttpHostPortOrNothing() {
        assertEquals("", new SandboxEgressSettings(null).proxyUrl());
        assertEquals("", new SandboxEgressSettings("  ").proxyUrl());
        assertEquals(PROXY, new SandboxEgressSettings(" " + PROXY + " ").proxyUrl());
        for (String bad : List.of("liteboxd-egress:3128", "https://egress:3128", "http://egress", "http://egress:3128/x",
                "http://u:p@egress:3128", "http://egress:3128?a", "http://egr ess:3128")) {
            assertThrows(IllegalArgumentException.class, () -> new SandboxEgressSettings(bad), bad);
        }
        assertTrue(new SandboxEgressSettings("http://10.0.0.5:3128").proxyUrl().startsWith("http://"));
    }
}
