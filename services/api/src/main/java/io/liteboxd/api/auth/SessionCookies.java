package io.liteboxd.api.auth;

import io.liteboxd.common.auth.ControlPlaneCredentials;
import io.liteboxd.common.http.ForwardedScheme;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import java.util.Optional;

/**
 * The session cookie's name and attributes. Under TLS (the connection, or {@code
 * X-Forwarded-Proto: https} from the ingress) it is {@code __Host-liteboxd_session}: Secure,
 * {@code Path=/}, no {@code Domain}, which browsers only accept from this very host, so a page on a
 * sibling host (a sandbox's subdomain) can neither plant nor shadow it. On such requests only that
 * name is read: a plain {@code liteboxd_session} there could have been planted by a sibling.
 * Over plain HTTP it is upstream's {@code liteboxd_session}.
 */
final class SessionCookies {

    private SessionCookies() {}

    static boolean secure(HttpRequest<?> request) {
        return ForwardedScheme.isHttps(request.isSecure(), request.getHeaders().get("X-Forwarded-Proto"));
    }

    static String name(boolean secure) {
        return secure ? ControlPlaneCredentials.SECURE_SESSION_COOKIE : ControlPlaneCredentials.SESSION_COOKIE;
    }

    /** The session token the request carries under the name valid for its scheme. */
    static Optional<String> read(HttpRequest<?> request) {
        Cookie cookie = request.getCookies().get(name(secure(request)));
        return cookie == null || cookie.getValue().isBlank() ? Optional.empty() : Optional.of(cookie.getValue());
    }

    /** The cookie to set ({@code maxAgeSeconds} 0 clears it). */
    static Cookie issue(HttpRequest<?> request, String value, long maxAgeSeconds) {
        boolean secure = secure(request);
        return Cookie.of(name(secure), value)
                .path("/").maxAge(maxAgeSeconds).httpOnly(true).sameSite(SameSite.Lax).secure(secure);
    }

    /** The first of a comma-separated header value (the hop nearest the client). */
    @Nullable
    static String first(@Nullable String header) {
        if (header == null) {
            return null;
        }
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).trim();
    }
}
