package io.liteboxd.api.files;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * {@code liteboxd.files}: limits and deadlines of file transfers.
 * <ul>
 * <li>{@code maxUploadBytes} ({@code LITEBOXD_MAX_UPLOAD_BYTES}, 1 GiB): the largest upload accepted
 * (also the HTTP server's {@code max-request-size}, see application.yml), 413 beyond it.
 * <li>{@code firstByteTimeout} ({@code FILES_FIRST_BYTE_TIMEOUT}, 30s): a download whose command
 * neither sends a byte nor ends within this is answered 504 (a FIFO, a hung filesystem).
 * <li>{@code idleTimeout} ({@code FILES_IDLE_TIMEOUT}, 5m): a running transfer in which nothing moves
 * for this long is cut: no bytes from the pod, a client that takes none, or an upload whose command
 * does not finish after its last byte (504).
 * <li>{@code commandTimeout} ({@code FILES_COMMAND_TIMEOUT}, 30s): the short helper commands (rename
 * into place, remove a partial upload).
 * </ul>
 */
@ConfigurationProperties("liteboxd.files")
public record FileSettings(
        @Bindable(defaultValue = "1073741824") @Positive long maxUploadBytes,
        @Bindable(defaultValue = "30s") @NotNull Duration firstByteTimeout,
        @Bindable(defaultValue = "5m") @NotNull Duration idleTimeout,
        @Bindable(defaultValue = "30s") @NotNull Duration commandTimeout) {}
