package io.liteboxd.gateway.proxy;

import static io.liteboxd.common.auth.ControlPlaneCredentials.SANDBOX_TOKEN_COOKIE;
import static io.liteboxd.common.auth.ControlPlaneCredentials.SECURE_SANDBOX_TOKEN_COOKIE;

import io.liteboxd.gateway.credentials.Cookies;
import io.liteboxd.gateway.credentials.CredentialFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import java.util.List;
import java.util.Locale;

/**
 * The sandbox access token a request carries and where it came from, in this order: the
 * {@code X-Access-Token} header, the {@code access_token} query parameter, the gateway's token
 * cookie ({@link TokenCookie}).
 *
 * @param candidates what to check: one value, except for cookies. A page on a sibling host of
 *     the same site can plant a cookie of the same name with {@code Domain=} and a longer path,
 *     which the browser then sends first; trying each one (a few at most) keeps that from locking
 *     the user out of their own sandbox.
 */
record PresentedToken(@Nullable String value, Source source, List<String> candidates) {

    enum Source { HEADER, QUERY, COOKIE, NONE }

    /** Enough for the real cookie among a few planted ones; bounds the hashing per request. */
    static final int MAX_COOKIE_CANDIDATES = 4;

    PresentedToken(@Nullable String value, Source source) {
        this(value, source, value == null ? List.of() : List.of(value));
    }

    static PresentedToken of(HttpRequest<?> request, SandboxAddress address) {
        return choose(request.getHeaders().get(CredentialFilter.ACCESS_TOKEN_HEADER),
                address.queryToken(), request.getHeaders().getAll(HttpHeaders.COOKIE));
    }

    static PresentedToken choose(@Nullable String header, @Nullable String query, List<String> cookieHeaders) {
        if (header != null && !header.isEmpty()) {
            return new PresentedToken(header, Source.HEADER);
        }
        if (query != null && !query.isEmpty()) {
            return new PresentedToken(query, Source.QUERY);
        }
        List<String> cookies = Cookies.all(cookieHeaders, SECURE_SANDBOX_TOKEN_COOKIE, MAX_COOKIE_CANDIDATES);
        if (cookies.isEmpty()) {
            cookies = Cookies.all(cookieHeaders, SANDBOX_TOKEN_COOKIE, MAX_COOKIE_CANDIDATES);
        }
        return cookies.isEmpty() ? new PresentedToken(null, Source.NONE)
                : new PresentedToken(cookies.getFirst(), Source.COOKIE, List.copyOf(cookies));
    }

    /**
     * Host mode: a cookie is sent with requests from every page of the same site, sibling
     * sandboxes included ({@code 80-other.<domain>} is same-site with {@code 80-mine.<domain>}).
     * Such a request, unless it is the user following a link ({@code GET}, {@code Sec-Fetch-Mode:
     * navigate}), must not be authorised by the cookie. Browsers that send no
     * {@code Sec-Fetch-Site} are let through (SameSite=Lax still holds back cross-site ones).
     *
     * @throws GatewayError 403 when refused
     */
    void refuseCrossSiteCookie(HttpMethod method, @Nullable String secFetchSite, @Nullable String secFetchMode) {
        if (source != Source.COOKIE || secFetchSite == null) {
            return;
        }
        String site = secFetchSite.trim().toLowerCase(Locale.ROOT);
        boolean foreign = site.equals("same-site") || site.equals("cross-site");
        boolean navigation = method == HttpMethod.GET && "navigate".equalsIgnoreCase(secFetchMode == null ? "" : secFetchMode.trim());
        if (foreign && !navigation) {
            throw new GatewayError(HttpStatus.FORBIDDEN, "cross-origin request refused");
        }
    }
}
