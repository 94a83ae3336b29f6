package io.liteboxd.api.error;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import java.time.Duration;

/**
 * A failure the client should see as {@code status} with upstream's flat body
 * {@code {"error":"<message>"}} (sandbox, auth and metadata endpoints).
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    @Nullable
    private final Duration retryAfter;

    public ApiException(HttpStatus status, String message) {
        this(status, message, null);
    }

    /** With {@code retryAfter}, the answer carries {@code Retry-After} in whole seconds (at least 1). */
    public ApiException(HttpStatus status, String message, @Nullable Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    @Nullable
    public Duration retryAfter() {
        return retryAfter;
    }

    /** {@code Retry-After} seconds for a wait: rounded up, never 0 (0 would invite an immediate retry). */
    public static long retryAfterSeconds(Duration wait) {
        long seconds = wait.toSeconds() + (wait.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(HttpStatus.UNAUTHORIZED, message);
    }

    public static ApiException forbidden(String message) {
        return new ApiException(HttpStatus.FORBIDDEN, message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpStatus.NOT_FOUND, message);
    }
}
