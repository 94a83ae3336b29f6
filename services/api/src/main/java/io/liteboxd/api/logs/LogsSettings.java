package io.liteboxd.api.logs;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * {@code liteboxd.logs}, for {@code GET /sandboxes/{id}/logs}: at most {@code maxBytes} of log text
 * ({@code LOGS_MAX_BYTES}, 10 MiB), each line at most {@code maxLineBytes}
 * ({@code LOGS_MAX_LINE_BYTES}, 64 KiB), and the read from Kubernetes at most {@code timeout}
 * ({@code LOGS_TIMEOUT}, 30s). See {@link LogTail}.
 */
@ConfigurationProperties("liteboxd.logs")
public record LogsSettings(
        @Bindable(defaultValue = "10485760") @Positive @Max(Integer.MAX_VALUE - 1) int maxBytes,
        @Bindable(defaultValue = "65536") @Positive int maxLineBytes,
        @Bindable(defaultValue = "30s") @NotNull Duration timeout) {}
