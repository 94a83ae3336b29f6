package io.liteboxd.api.exec;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * {@code liteboxd.exec}: limits of {@code POST /sandboxes/{id}/exec}. {@code maxTimeout} must stay
 * below the HTTP server's idle timeouts, or the connection would be cut before the answer;
 * {@code maxOutputBytes} caps what is kept of each of stdout and stderr (the rest is dropped and
 * the response says so).
 */
@ConfigurationProperties("liteboxd.exec")
public record ExecSettings(
        @Bindable(defaultValue = "30s") @NotNull Duration defaultTimeout,
        @Bindable(defaultValue = "1h") @NotNull Duration maxTimeout,
        @Bindable(defaultValue = "16777216") @Positive int maxOutputBytes) {}
