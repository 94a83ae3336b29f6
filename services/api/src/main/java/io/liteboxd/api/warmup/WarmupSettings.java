package io.liteboxd.api.warmup;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;

/**
 * {@code liteboxd.warmup}: before a new replica reports Ready it sends itself {@code rounds}
 * ({@code API_WARMUP_ROUNDS}; 0 turns the warm-up off) rounds of the read requests clients poll
 * most, over loopback, giving up after {@code timeout} ({@code API_WARMUP_TIMEOUT}) so a slow node
 * delays Ready by a bounded time only.
 */
@ConfigurationProperties("liteboxd.warmup")
public record WarmupSettings(
        @Bindable(defaultValue = "150") @PositiveOrZero int rounds,
        @Bindable(defaultValue = "120s") @NotNull Duration timeout) {
}
