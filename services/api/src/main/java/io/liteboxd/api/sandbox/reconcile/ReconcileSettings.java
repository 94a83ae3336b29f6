package io.liteboxd.api.sandbox.reconcile;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code liteboxd.reconcile}: how long a wanted sandbox may have no pod before the pass marks it
 * {@code lost} (upstream: 10 minutes). When the pass runs is the controller's business
 * ({@code LITEBOXD_RECONCILE_INTERVAL} there; it calls {@code POST /internal/v1/reconcile}).
 */
@ConfigurationProperties("liteboxd.reconcile")
public record ReconcileSettings(@Bindable(defaultValue = "10m") @NotNull Duration lostAfter) {}
