package io.liteboxd.api.usage;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code liteboxd.usage}: where per-sandbox CPU and memory come from (docs/console.md).
 * <ul>
 * <li>{@code prometheusUrl} ({@code USAGE_PROMETHEUS_URL}, chart {@code usage.prometheusUrl}): a
 * Prometheus to query; set, it wins over detection.
 * <li>{@code detectTimeout} ({@code USAGE_DETECT_TIMEOUT}, 3s): per probe while detecting
 * (metrics.k8s.io discovery, each well-known Prometheus address).
 * <li>{@code queryTimeout} ({@code USAGE_QUERY_TIMEOUT}, 3s): per usage query.
 * </ul>
 */
@ConfigurationProperties("liteboxd.usage")
public record UsageSettings(
        @Nullable String prometheusUrl,
        @Bindable(defaultValue = "3s") @NotNull Duration detectTimeout,
        @Bindable(defaultValue = "3s") @NotNull Duration queryTimeout) {

    public boolean manual() {
        return prometheusUrl != null && !prometheusUrl.isBlank();
    }
}
