package io.liteboxd.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.annotation.Property;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shared defaults: management under /management, Prometheus text with the drain gauges. */
@MicronautTest(rebuildContext = true)
@Property(name = "liteboxd.drain.signal-handler", value = "false")
class MetricsTest {

    @Inject
    @Client("/")
    HttpClient client;

    @Inject
    Drain drain;

    @Test
    void prometheusTextCarriesDrainHttpAndJvmMetrics() {
        client.toBlocking().exchange(HttpRequest.GET("/health"));
        Drain.Session tunnel = drain.open("tunnel");
        try {
            String text = scrape();
            assertGauge(text, "liteboxd_drain_active_requests", "0");
            assertGauge(text, "liteboxd_drain_active_sessions", "1");
            assertGauge(text, "liteboxd_draining", "0");
            assertTrue(text.contains("http_server_requests_seconds"), "HTTP server metrics");
            assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics");

            drain.begin();
            assertGauge(scrape(), "liteboxd_draining", "1");
        } finally {
            tunnel.close();
        }
    }

    @Test
    void managementHealthKeepsMicronautsOwnBody() {
        Map<?, ?> health = client.toBlocking().retrieve(HttpRequest.GET("/management/health"), Map.class);
        assertEquals("UP", health.get("status"));
    }

    private String scrape() {
        return client.toBlocking().retrieve(HttpRequest.GET("/management/prometheus"), String.class);
    }

    private static void assertGauge(String text, String name, String value) {
        Pattern line = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? " + Pattern.quote(value) + "(\\.0)?$");
        assertTrue(line.matcher(text).find(), () -> "no '" + name + " " + value + "' in:\n" + text);
    }
}
