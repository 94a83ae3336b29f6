package io.liteboxd.gateway.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewaySettingsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("liteboxd.kubernetes.enabled", "false"))) {
            GatewaySettings settings = context.getBean(GatewaySettings.class);
            assertEquals("", settings.sandboxDomain());
            assertFalse(settings.hostMode());
            assertEquals(GatewaySettings.DEFAULT_CSP, settings.pathModeCsp());
            assertEquals(1L << 20, settings.tunnelBufferBytes());
            assertEquals(64L << 20, settings.tunnelsBufferBytes());
            assertEquals(16 << 20, settings.maxFrameBytes());
            assertEquals(1000, settings.maxTunnels());
            assertEquals(10000, settings.maxConnections());
        }
    }

    @Test
    void anEmptyPolicyTurnsItOffAndTheDomainIsNormalized() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("liteboxd.kubernetes.enabled", "false",
                "liteboxd.gateway.path-mode-csp", "", "liteboxd.gateway.sandbox-domain", ".SBX.Example.com."))) {
            GatewaySettings settings = context.getBean(GatewaySettings.class);
            assertEquals("", settings.pathModeCsp());
            assertEquals("sbx.example.com", settings.sandboxDomain());
            assertTrue(settings.hostMode());
        }
    }

    @Test
    void nonsenseIsRefusedAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> settings("a b", 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> settings("", 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> settings("", 10, 5, 1), "total below one tunnel's");
        assertThrows(IllegalArgumentException.class, () -> settings("", 1, 1, GatewaySettings.FRAME_CEILING + 1));
    }

    private static GatewaySettings settings(String domain, long perTunnel, long total, int frame) {
        return new GatewaySettings("ns", Duration.ofSeconds(1), domain, "", perTunnel, total, frame, 1, 1);
    }
}
