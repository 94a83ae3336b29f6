package io.liteboxd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The env placeholders of application.yml resolve to the documented defaults (the Helm chart and
 * the docs list these names), and the chart's older LITEBOXD_EXEC_MAX_TIMEOUT still counts.
 */
class SettingsDefaultsTest {

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("liteboxd.auth.login.free-failures", "5"),
            Map.entry("liteboxd.auth.login.backoff-base", "1s"),
            Map.entry("liteboxd.auth.login.backoff-max", "15m"),
            Map.entry("liteboxd.auth.login.max-tracked-keys", "10000"),
            Map.entry("liteboxd.auth.hashing.concurrency", "2"),
            Map.entry("liteboxd.auth.hashing.queue-timeout", "10s"),
            Map.entry("liteboxd.auth.client.trusted-proxies",
                    "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,127.0.0.0/8,::1/128,fc00::/7"),
            Map.entry("liteboxd.auth.origin.allowed-origins", ""),
            Map.entry("liteboxd.logs.max-bytes", "10485760"),
            Map.entry("liteboxd.logs.max-line-bytes", "65536"),
            Map.entry("liteboxd.logs.timeout", "30s"),
            Map.entry("liteboxd.exec.default-timeout", "30s"),
            Map.entry("liteboxd.exec.max-timeout", "1h"),
            Map.entry("liteboxd.exec.max-output-bytes", "16777216"),
            Map.entry("liteboxd.exec.start-timeout", "30s"),
            Map.entry("liteboxd.exec.stall-timeout", "5m"),
            Map.entry("liteboxd.exec.kill-timeout", "10s"),
            Map.entry("liteboxd.exec.max-sessions", "256"),
            Map.entry("liteboxd.files.first-byte-timeout", "30s"),
            Map.entry("liteboxd.files.idle-timeout", "5m"),
            Map.entry("liteboxd.files.command-timeout", "30s"),
            Map.entry("liteboxd.sandbox.pod.capabilities", "AUDIT_WRITE,CHOWN,DAC_OVERRIDE,FOWNER,FSETID,KILL,NET_BIND_SERVICE,SETGID,SETUID"),
            Map.entry("liteboxd.sandbox.pod.allow-dangerous-capabilities", "false"),
            Map.entry("liteboxd.sandbox.pod.ephemeral-storage-limit", "2Gi"),
            Map.entry("liteboxd.sandbox.pod.workspace-size-limit", "1Gi"),
            Map.entry("liteboxd.sandbox.pod.node-selector", ""),
            Map.entry("liteboxd.sandbox.pod.tolerations", ""),
            Map.entry("liteboxd.sandbox.pod.host-users", "true"));

    static String property(Map<String, Object> properties, String name) {
        try (ApplicationContext context = ApplicationContext.builder().properties(properties).build()) {
            context.getEnvironment().start();
            return context.getEnvironment().getProperty(name, String.class).orElse("");
        }
    }

    @Test
    void everyPlaceholderHasItsDocumentedDefault() {
        DEFAULTS.forEach((name, value) -> assertEquals(value, property(Map.of(), name), name));
    }

    @Test
    void theChartsOlderExecTimeoutNameStillWorks() {
        assertEquals("2h", property(Map.of("LITEBOXD_EXEC_MAX_TIMEOUT", "2h"), "liteboxd.exec.max-timeout"));
        assertEquals("3h", property(Map.of("LITEBOXD_EXEC_MAX_TIMEOUT", "2h", "EXEC_MAX_TIMEOUT", "3h"),
                "liteboxd.exec.max-timeout"));
    }

    @Test
    void sandboxPodSettingsTakeJsonAndEmptyValuesFromTheEnvironment() {
        String json = "[{\"key\":\"pool\",\"operator\":\"Equal\",\"value\":\"a:b\",\"effect\":\"NoSchedule\"}]";
        assertEquals(json, property(Map.of("SANDBOX_TOLERATIONS", json), "liteboxd.sandbox.pod.tolerations"));
        // The chart's `capabilities: []`: nothing added after drop ALL, not the defaults.
        assertEquals("", property(Map.of("SANDBOX_CAPABILITIES", ""), "liteboxd.sandbox.pod.capabilities"));
    }
}
