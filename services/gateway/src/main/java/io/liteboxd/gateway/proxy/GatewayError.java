package io.liteboxd.gateway.proxy;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;

/** A refusal answered by the gateway itself, in upstream's body shape {@code {"error":"..."}}. */
public final class GatewayError extends RuntimeException {

    @Serdeable
    public record Body(String error) {}

    private final HttpStatus status;
    /** Sent as {@code Retry-After} (seconds) when set: the refusal is temporary. */
    private final Duration retryAfter;

    public GatewayError(HttpStatus status, String message) {
        this(status, message, null);
    }

    public GatewayError(HttpStatus status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    public MutableHttpResponse<Body> response() {
        MutableHttpResponse<Body> response = HttpResponse.<Body>status(status).body(new Body(getMessage()));
        if (retryAfter != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return response;
    }
}
