package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.liteboxd.api.template.TemplateSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox pod's resources: limits as planned, requests from SANDBOX_REQUEST_RATIO. */
class SandboxPodsTest {

    static V1ResourceRequirements resources(String cpu, String memory, String ratio) {
        TemplateSpec spec = new TemplateSpec("img", null, null, new TemplateSpec.Resources(cpu, memory), 60,
                null, null, 300, null, null, null, null);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return SandboxPods.build(new SandboxPods.Plan("1a2b3c4d", "ns", "tpl", 1, spec, cpu, memory, 60, Map.of(),
                "hash", now, now.plusSeconds(60), now.plusSeconds(300), new BigDecimal(ratio)))
                .getSpec().getContainers().getFirst().getResources();
    }

    @Test
    void ratioZeroKeepsTheFixedRequests() {
        V1ResourceRequirements r = resources("2", "4Gi", "0");
        assertEquals(Map.of("cpu", Quantity.fromString("2"), "memory", Quantity.fromString("4Gi")), r.getLimits());
        assertEquals(Map.of("cpu", Quantity.fromString("100m"), "memory", Quantity.fromString("128Mi")),
                r.getRequests());
    }

    @Test
    void aRatioDerivesTheRequestsFromTheLimits() {
        V1ResourceRequirements r = resources("2", "4Gi", "0.25");
        assertEquals(Map.of("cpu", Quantity.fromString("500m"), "memory", Quantity.fromString("1Gi")),
                r.getRequests());
    }
}
