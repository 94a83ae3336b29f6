package io.liteboxd.api.auth;

import io.liteboxd.api.error.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;

/**
 * Who made the request, set by {@link AuthFilter} on every authenticated {@code /api/v1} call.
 * API keys carry no user (upstream has no per-key owner).
 */
public record Principal(Method method, @Nullable String userId) {

    /** How the caller authenticated; the names are upstream's {@code auth_method} values. */
    public enum Method { session, api_key }

    static final String ATTRIBUTE = "liteboxd.principal";

    public static Principal of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, Principal.class)
                .orElseThrow(() -> ApiException.unauthorized("authentication required"));
    }

    /** Routes that manage credentials are for logged-in humans, not for API keys. */
    public static Principal requireSession(HttpRequest<?> request) {
        Principal principal = of(request);
        if (principal.method != Method.session) {
            throw ApiException.forbidden("this operation requires session authentication (web login)");
        }
        return principal;
    }
}
