package io.liteboxd.api.exec;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;

/**
 * {@code liteboxd.exec}: limits of pod execs (the exec route, terminals, file transfers).
 * <ul>
 * <li>{@code defaultTimeout}/{@code maxTimeout} ({@code EXEC_DEFAULT_TIMEOUT} 30s, {@code EXEC_MAX_TIMEOUT} 1h):
 * of {@code POST /sandboxes/{id}/exec}; {@code maxTimeout} must stay below the HTTP server's idle
 * timeouts, or the connection would be cut before the answer.
 * <li>{@code maxOutputBytes} ({@code EXEC_MAX_OUTPUT_BYTES}, 16 MiB): what is kept of each of stdout
 * and stderr (the rest is dropped and the response says so).
 * <li>{@code startTimeout} ({@code EXEC_START_TIMEOUT}, 30s): how long the Kubernetes API server may
 * take to accept an exec (the WebSocket handshake) before we give up.
 * <li>{@code stallTimeout} ({@code EXEC_STALL_TIMEOUT}, 5m): a stream that moves no byte for this long
 * is cut: the command takes no stdin while 1 MiB waits for it, or a terminal client takes no output.
 * <li>{@code killTimeout} ({@code EXEC_KILL_TIMEOUT}, 10s): for killing a command's process tree.
 * <li>{@code maxSessions} ({@code EXEC_MAX_SESSIONS}, 256): pod execs open at once (each holds a
 * connection to the API server and a reader thread); beyond it 503, or an {@code error} frame on
 * a terminal.
 * </ul>
 */
@ConfigurationProperties("liteboxd.exec")
public record ExecSettings(
        @Bindable(defaultValue = "30s") @NotNull Duration defaultTimeout,
        @Bindable(defaultValue = "1h") @NotNull Duration maxTimeout,
        @Bindable(defaultValue = "16777216") @Positive int maxOutputBytes,
        @Bindable(defaultValue = "30s") @NotNull Duration startTimeout,
        @Bindable(defaultValue = "5m") @NotNull Duration stallTimeout,
        @Bindable(defaultValue = "10s") @NotNull Duration killTimeout,
        @Bindable(defaultValue = "256") @Positive int maxSessions) {}
