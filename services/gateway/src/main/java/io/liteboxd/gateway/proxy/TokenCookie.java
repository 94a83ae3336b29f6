package io.liteboxd.gateway.proxy;

import static io.liteboxd.common.auth.ControlPlaneCredentials.SANDBOX_TOKEN_COOKIE;
import static io.liteboxd.common.auth.ControlPlaneCredentials.SECURE_SANDBOX_TOKEN_COOKIE;

import io.liteboxd.common.http.ForwardedScheme;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.net.URI;
import java.util.Locale;

/**
 * The gateway's cookie that carries a sandbox access token for browsers. A link with
 * {@code ?access_token=} works for the first page only: the page's own subresources and later
 * links do not carry the parameter. So a navigation with a valid query token is answered with
 * a {@code 303} to the same URL without the token (it leaves the address bar, history and
 * Referer) and this cookie, scoped as narrowly as each mode allows:
 * <ul>
 *   <li>host mode: host-only, {@code Path=/}, {@code SameSite=Lax}; {@code __Host-} and
 *       {@code Secure} under HTTPS;</li>
 *   <li>path mode: {@code Path=} the sandbox port's mount path; under HTTPS
 *       {@code SameSite=None; Secure}, because path-mode pages run CSP-sandboxed in an opaque
 *       origin, so their subresource requests count as cross-site; over plain HTTP
 *       {@code SameSite=Lax} (only navigations carry it then: a documented limitation).</li>
 * </ul>
 * The cookie never reaches the sandbox (it is a control-plane cookie, see CredentialFilter).
 */
final class TokenCookie {

    private TokenCookie() {}

    /** Whether this request should be answered with the redirect and the cookie. */
    static boolean wanted(HttpRequest<?> request, PresentedToken token) {
        return token.source() == PresentedToken.Source.QUERY
                && request.getMethod() == HttpMethod.GET
                && isNavigation(request.getHeaders().get("Sec-Fetch-Mode"),
                        request.getHeaders().get("Upgrade-Insecure-Requests"), request.getHeaders().get(HttpHeaders.ACCEPT))
                && isCookieValue(token.value());
    }

    /**
     * A browser loading a page into a window. Browsers send Fetch Metadata only to secure
     * origins, so over plain HTTP there is no {@code Sec-Fetch-Mode}: then a navigation is what
     * asks for HTML with {@code Upgrade-Insecure-Requests: 1}, which browsers send on navigations
     * only, and SDKs and curl never.
     */
    static boolean isNavigation(@Nullable String secFetchMode, @Nullable String upgradeInsecure, @Nullable String accept) {
        if (secFetchMode != null) {
            return "navigate".equalsIgnoreCase(secFetchMode.trim());
        }
        return upgradeInsecure != null && upgradeInsecure.trim().equals("1")
                && accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    static MutableHttpResponse<?> redirect(HttpRequest<?> request, SandboxAddress address, String token) {
        String location = request.getUri().getRawPath() + (address.query().isEmpty() ? "" : "?" + address.query());
        return HttpResponse.status(HttpStatus.SEE_OTHER)
                .header(HttpHeaders.LOCATION, URI.create(location).toString())
                .header(HttpHeaders.SET_COOKIE, setCookie(address, isHttps(request), token))
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    static String setCookie(SandboxAddress address, boolean https, String token) {
        if (address.pathMode()) {
            return SANDBOX_TOKEN_COOKIE + "=" + token + "; Path=" + address.mountPath() + "; HttpOnly"
                    + (https ? "; SameSite=None; Secure" : "; SameSite=Lax");
        }
        return (https ? SECURE_SANDBOX_TOKEN_COOKIE : SANDBOX_TOKEN_COOKIE) + "=" + token + "; Path=/; HttpOnly"
                + (https ? "; Secure" : "") + "; SameSite=Lax";
    }

    /** TLS here, or at a proxy in front that says so. */
    static boolean isHttps(HttpRequest<?> request) {
        return ForwardedScheme.isHttps(request.isSecure(), request.getHeaders().get("X-Forwarded-Proto"));
    }

    /** RFC 6265 cookie-octets only: a token that needs quoting or escaping is not put in a cookie. */
    static boolean isCookieValue(@Nullable String value) {
        return value != null && !value.isEmpty() && value.length() <= 1024 && value.chars().allMatch(c ->
                c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B)
                        || (c >= 0x5D && c <= 0x7E));
    }
}
