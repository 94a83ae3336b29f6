package io.liteboxd.api.console;

import io.liteboxd.common.http.ForwardedScheme;
import io.micronaut.core.annotation.Order;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Arrays;

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

    /** The API's own paths: everything below them, and each bare root ("/api") too. */
    private static final String[] NOT_CONSOLE = {"/api/", "/internal/", "/openapi/", "/management/", "/health", "/readyz"};
    private static final String[] NOT_CONSOLE_ROOTS = Arrays.stream(NOT_CONSOLE)
            .map(prefix -> prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix)
            .toArray(String[]::new);

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
        // Runs on every response: plain string tests, no regular expression per call.
        for (int i = 0; i < NOT_CONSOLE.length; i++) {
            if (path.startsWith(NOT_CONSOLE[i]) || path.equals(NOT_CONSOLE_ROOTS[i])) {
                return false;
            }
        }
        return true;
    }
}
