package io.liteboxd.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * {@code liteboxd.auth.hashing}: at most {@code concurrency} bcrypt computations at once
 * ({@code AUTH_HASH_CONCURRENCY}); a request waits at most {@code queueTimeout}
 * ({@code AUTH_HASH_QUEUE_TIMEOUT}) for its turn, then gets 503.
 */
@ConfigurationProperties("liteboxd.auth.hashing")
public record HashingSettings(
        @Bindable(defaultValue = "2") @Positive int concurrency,
        @Bindable(defaultValue = "10s") @NotNull Duration queueTimeout) {}
