package io.liteboxd.controller.reconcile;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code liteboxd.controller.reconcile}: where the API is ({@code API_INTERNAL_URL}, the chart's
 * API Service), the internal token it accepts ({@code LITEBOXD_INTERNAL_TOKEN}) and how often its
 * reconcile pass runs ({@code LITEBOXD_RECONCILE_INTERVAL}, 5m; 0 only at leadership start).
 * Without a URL or a token the trigger is off.
 */
@ConfigurationProperties("liteboxd.controller.reconcile")
public record ReconcileTriggerSettings(
        @Nullable String apiUrl,
        @Nullable String token,
        @Bindable(defaultValue = "5m") Duration interval,
        @Bindable(defaultValue = "2m") Duration requestTimeout) {

    public boolean enabled() {
        return apiUrl != null && !apiUrl.isBlank() && token != null && !token.isBlank();
    }
}
