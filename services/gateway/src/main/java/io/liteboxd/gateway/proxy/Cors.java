package io.liteboxd.gateway.proxy;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;

/**
 * CORS for browser code calling sandbox servers. Preflights are answered by the gateway (they
 * carry no token, and upstream had no OPTIONS route at all, so they failed with 404). The
 * origin is {@code *} without credentials: a page on another origin may use a token it was
 * given (header or URL), never the gateway's token cookie ({@code *} with credentials, upstream's
 * answer, is rejected by browsers anyway).
 */
final class Cors {

    private static final String METHODS = "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS";
    private static final String DEFAULT_HEADERS = "Origin, Content-Type, Accept, Authorization, X-Access-Token";

    private Cors() {}

    static boolean isPreflight(HttpRequest<?> request) {
        return request.getMethod() == HttpMethod.OPTIONS
                && request.getHeaders().contains(HttpHeaders.ORIGIN)
                && request.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD);
    }

    static MutableHttpResponse<?> preflight(HttpRequest<?> request) {
        String asked = request.getHeaders().get(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        return HttpResponse.noContent()
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, asked == null || asked.isBlank() ? DEFAULT_HEADERS : asked)
                .header(HttpHeaders.ACCESS_CONTROL_MAX_AGE, "600");
    }

    /** On answers to cross-origin requests, unless the sandbox's server set its own policy. */
    static void decorate(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (request.getHeaders().contains(HttpHeaders.ORIGIN)
                && !response.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            response.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
            response.header(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "Content-Length");
        }
    }
}
