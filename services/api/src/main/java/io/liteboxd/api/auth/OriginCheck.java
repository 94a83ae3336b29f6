package io.liteboxd.api.auth;

import io.liteboxd.common.http.ForwardedScheme;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Whether a cookie-authenticated request may come from where it says it comes from (CSRF and
 * cross-site WebSocket hijacking). A browser attaches the session cookie to requests any page
 * starts, including a sandbox's page on a sibling host, so: a present {@code Origin} must be the
 * API's own origin or one of {@code AUTH_ALLOWED_ORIGINS} ({@code Origin: null}, which a
 * sandboxed or opaque page sends, never is); without one, {@code Sec-Fetch-Site: same-site} or
 * {@code cross-site} is refused unless the request is a GET/HEAD top-level navigation (a link to a
 * download). Clients that send neither header (SDKs, curl) pass; they are not browsers.
 *
 * <p>The API's own origin is taken from {@code X-Forwarded-Proto}/{@code X-Forwarded-Host}/{@code
 * Host}. A page cannot forge those: browsers forbid setting them on WebSockets, and on fetches
 * they would need a CORS preflight, which only allowed origins pass.
 *
 * <p>Pure: no I/O; {@link #allows(HttpRequest)} only reads headers.
 */
@Context
public final class OriginCheck {

    /** {@code scheme://host[:port]}: what a browser sends as {@code Origin}. */
    private static final Pattern ORIGIN = Pattern.compile("([a-z][a-z0-9+.-]*)://([^/?#@\\s]+?)(?::(\\d+))?");

    /** What the decision looks at. {@code ownOrigin} may be null when the request names no host. */
    record Inputs(String method, @Nullable String origin, @Nullable String secFetchSite,
                  @Nullable String secFetchMode, @Nullable String ownOrigin) {}

    private final Set<String> allowed;

    @Inject
    OriginCheck(OriginSettings settings) {
        this(settings.allowedOrigins());
    }

    OriginCheck(Collection<String> allowedOrigins) {
        this.allowed = allowedOrigins.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(o -> normalize(o).orElseThrow(() -> new IllegalArgumentException(
                        "AUTH_ALLOWED_ORIGINS: not an origin (scheme://host[:port]): " + o)))
                .collect(Collectors.toUnmodifiableSet());
    }

    boolean allows(HttpRequest<?> request) {
        return allows(inputs(request));
    }

    boolean allows(Inputs in) {
        if (in.origin() != null) {
            Optional<String> origin = normalize(in.origin());
            return origin.isPresent() && (origin.get().equals(in.ownOrigin()) || allowed.contains(origin.get()));
        }
        String site = in.secFetchSite() == null ? "" : in.secFetchSite().trim().toLowerCase(Locale.ROOT);
        if (site.equals("same-site") || site.equals("cross-site")) {
            boolean readOnly = in.method().equals(HttpMethod.GET.name()) || in.method().equals(HttpMethod.HEAD.name());
            return readOnly && "navigate".equalsIgnoreCase(in.secFetchMode());
        }
        return true;
    }

    /** Whether {@code origin} is one of {@code AUTH_ALLOWED_ORIGINS} (for CORS). */
    boolean isAllowedOrigin(@Nullable String origin) {
        return origin != null && normalize(origin).map(allowed::contains).orElse(false);
    }

    static Inputs inputs(HttpRequest<?> request) {
        HttpHeaders headers = request.getHeaders();
        String scheme = ForwardedScheme.of(request.isSecure(), headers.get("X-Forwarded-Proto"));
        String forwardedHost = SessionCookies.first(headers.get("X-Forwarded-Host"));
        String host = forwardedHost != null && !forwardedHost.isEmpty() ? forwardedHost : headers.get(HttpHeaders.HOST);
        String own = host == null || host.isBlank() ? null : normalize(scheme + "://" + host.trim()).orElse(null);
        return new Inputs(request.getMethodName(), headers.get(HttpHeaders.ORIGIN), headers.get("Sec-Fetch-Site"),
                headers.get("Sec-Fetch-Mode"), own);
    }

    /**
     * {@code scheme://host[:port]} in lower case without the scheme's default port, so that
     * {@code https://Example.com:443} and {@code https://example.com} compare equal. Empty for
     * {@code null} (the literal an opaque origin sends) and for anything that is not an origin.
     */
    static Optional<String> normalize(String origin) {
        Matcher m = ORIGIN.matcher(origin.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return Optional.empty();
        }
        String scheme = m.group(1);
        String port = m.group(3);
        boolean defaultPort = port == null
                || (port.equals("80") && (scheme.equals("http") || scheme.equals("ws")))
                || (port.equals("443") && (scheme.equals("https") || scheme.equals("wss")));
        return Optional.of(scheme + "://" + m.group(2) + (defaultPort ? "" : ":" + port));
    }
}
