package io.liteboxd.api.auth;

import io.liteboxd.api.error.ErrorBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * CORS for {@code /api/v1}, granted only to {@code AUTH_ALLOWED_ORIGINS}. Upstream echoed any
 * {@code Origin} with {@code Access-Control-Allow-Credentials: true}, which let every web page
 * read the API with the visitor's session; here any other origin gets no CORS header at all (and a
 * preflight from it 403), so browsers keep their same-origin rule. Runs before {@link AuthFilter},
 * so its own 401/403 answers carry the headers an allowed origin needs to read them.
 */
@ServerFilter("/api/v1/**")
@Order(-100)
public class CorsFilter {

    static final String ALLOW_METHODS = "GET, POST, PUT, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = "Origin, Content-Type, Accept, Authorization, Upgrade, Connection, "
            + "Sec-WebSocket-Key, Sec-WebSocket-Version, Sec-WebSocket-Extensions, Sec-WebSocket-Protocol";
    static final String MAX_AGE = Long.toString(12 * 3600);

    private final OriginCheck origins;

    CorsFilter(OriginCheck origins) {
        this.origins = origins;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> preflight(HttpRequest<?> request) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (request.getMethod() != HttpMethod.OPTIONS || origin == null
                || !request.getHeaders().contains(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD)) {
            return null;
        }
        if (!origins.isAllowedOrigin(origin)) {
            return HttpResponse.status(HttpStatus.FORBIDDEN).body(new ErrorBody("cross-origin request refused"));
        }
        return allow(HttpResponse.noContent(), origin)
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, ALLOW_METHODS)
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, ALLOW_HEADERS)
                .header(HttpHeaders.ACCESS_CONTROL_MAX_AGE, MAX_AGE);
    }

    @ResponseFilter
    public void expose(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String origin = request.getHeaders().get(HttpHeaders.ORIGIN);
        if (request.getMethod() != HttpMethod.OPTIONS && origins.isAllowedOrigin(origin)) {
            allow(response, origin).header(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, "Content-Length, Retry-After");
        }
    }

    private static MutableHttpResponse<?> allow(MutableHttpResponse<?> response, String origin) {
        return response.header(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                .header(HttpHeaders.VARY, HttpHeaders.ORIGIN);
    }
}
