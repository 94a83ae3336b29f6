package io.liteboxd.api.console;

import io.liteboxd.common.http.ForwardedScheme;
import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Browser protection for the web console's files (everything the API serves outside its API,
 * health and metrics paths). The console runs with the user's session, so it must not be framed
 * (clickjacking), must run only its own scripts (a CSP of 'self': an injected string can never
 * become code) and must not leak its address. Hashed assets are cached for good; index.html is
 * revalidated so an upgrade shows the new console at the next load.
 */
@ServerFilter("/**")
@Order(100)
public class ConsoleHeaders {

    /** xterm.js writes its own style elements, hence 'unsafe-inline' for styles (never for scripts). */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final String[] NOT_CONSOLE = {"/api/", "/internal/", "/openapi/", "/management/", "/health", "/readyz"};

    @ResponseFilter
    public void protect(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String path = request.getPath();
        if (!isConsole(path)) {
            return;
        }
        response.header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
        // Browsers honour (and otherwise warn about) COOP only on secure origins.
        if (ForwardedScheme.isHttps(request.isSecure(), request.getHeaders().get("X-Forwarded-Proto"))) {
            response.header("Cross-Origin-Opener-Policy", "same-origin");
        }
        if (response.getStatus().getCode() < 300 && !response.getHeaders().contains(HttpHeaders.CACHE_CONTROL)) {
            response.header(HttpHeaders.CACHE_CONTROL, path.startsWith("/assets/")
                    ? "public, max-age=31536000, immutable" : "no-cache");
        }
    }

    static boolean isConsole(String path) {
        for (String prefix : NOT_CONSOLE) {
            if (path.startsWith(prefix) || path.equals(prefix.replaceAll("/$", ""))) {
                return false;
            }
        }
        return true;
    }
}
