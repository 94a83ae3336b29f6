package io.liteboxd.api.sandbox.reconcile;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code liteboxd.reconcile}: how often the safety-net pass runs (it reads only the informer
 * cache, so it costs the API server nothing) and how long a wanted sandbox may have no pod before
 * it is marked {@code lost} (upstream: 10 minutes).
 */
@ConfigurationProperties("liteboxd.reconcile")
public record ReconcileSettings(
        @Bindable(defaultValue = "5m") @NotNull Duration interval,
        @Bindable(defaultValue = "10m") @NotNull Duration lostAfter) {}
