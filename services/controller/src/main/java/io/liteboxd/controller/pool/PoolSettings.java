package io.liteboxd.controller.pool;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code liteboxd.pool}: the demand window pools are sized from ({@code POOL_DEMAND_WINDOW}), the
 * hit ratio they aim for ({@code POOL_TARGET_HIT_RATIO}, 0.5 to 0.999), and the refill time assumed
 * until pool pods have been seen turning Ready ({@code POOL_DEFAULT_REFILL}).
 */
@ConfigurationProperties("liteboxd.pool")
public record PoolSettings(
        @Bindable(defaultValue = "5m") Duration demandWindow,
        @Bindable(defaultValue = "0.95") double targetHitRatio,
        @Bindable(defaultValue = "5s") Duration defaultRefill) {

    public PoolSettings {
        if (demandWindow == null || demandWindow.toSeconds() < 10) {
            throw new IllegalArgumentException("liteboxd.pool.demand-window must be at least 10s");
        }
        if (targetHitRatio < 0.5 || targetHitRatio > 0.999) {
            throw new IllegalArgumentException("liteboxd.pool.target-hit-ratio must be within 0.5 and 0.999");
        }
        if (defaultRefill == null || defaultRefill.isNegative() || defaultRefill.isZero()) {
            throw new IllegalArgumentException("liteboxd.pool.default-refill must be positive");
        }
    }
}
