package io.liteboxd.gateway.wake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WakeSettingsTest {

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("liteboxd.kubernetes.enabled", "false"))) {
            WakeSettings settings = context.getBean(WakeSettings.class);
            assertEquals(Duration.ofSeconds(120), settings.timeout());
            assertEquals(1000, settings.maxWaiting());
        }
    }

    @Test
    void theEnvironmentSetsThem() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("liteboxd.kubernetes.enabled", "false",
                "liteboxd.gateway.wake.timeout", "45s", "liteboxd.gateway.wake.max-waiting", "7"))) {
            WakeSettings settings = context.getBean(WakeSettings.class);
            assertEquals(Duration.ofSeconds(45), settings.timeout());
            assertEquals(7, settings.maxWaiting());
        }
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WakeSettings(Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> new WakeSettings(Duration.ofSeconds(1), 0));
    }
}
