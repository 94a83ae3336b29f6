package io.liteboxd.gateway.proxy;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;

/** A refusal answered by the gateway itself, in upstream's body shape {@code {"error":"..."}}. */
public final class GatewayError extends RuntimeException {

    @Serdeable
    public record Body(String error) {}

    private final HttpStatus status;

    public GatewayError(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public MutableHttpResponse<Body> response() {
        return HttpResponse.<Body>status(status).body(new Body(getMessage()));
    }
}
