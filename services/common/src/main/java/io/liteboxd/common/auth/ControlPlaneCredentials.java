package io.liteboxd.common.auth;

import java.util.Locale;
import java.util.Set;

/**
 * The credentials of the control plane as they travel in HTTP: the API's session cookie (under
 * both names it may have) and the API keys. The API issues them; the gateway makes sure none of
 * them ever reaches a sandbox and that no sandbox response can set, shadow or delete them
 * (docs/security.md). One list, so the two services cannot disagree on what to protect.
 */
public final class ControlPlaneCredentials {

    private ControlPlaneCredentials() {}

    /** Upstream's session cookie, used over plain HTTP (and still accepted under TLS). */
    public static final String SESSION_COOKIE = "liteboxd_session";
    /**
     * The session cookie under TLS: a {@code __Host-} cookie must be Secure, host-only and
     * {@code Path=/}, so a page on a sibling host (a sandbox's own subdomain) cannot plant or
     * shadow it with {@code Domain=} or a narrower path.
     */
    public static final String SECURE_SESSION_COOKIE = "__Host-" + SESSION_COOKIE;
    /** Prefix of every LiteBoxd API key ({@code lbxk_} + 64 hex). */
    public static final String API_KEY_PREFIX = "lbxk_";
    /**
     * The gateway's own cookie carrying a sandbox access token for browsers (set after a request
     * with {@code ?access_token=}); never forwarded to the sandbox either.
     */
    public static final String SANDBOX_TOKEN_COOKIE = "liteboxd_sandbox_token";
    public static final String SECURE_SANDBOX_TOKEN_COOKIE = "__Host-" + SANDBOX_TOKEN_COOKIE;

    private static final Set<String> COOKIES = Set.of(SESSION_COOKIE, SECURE_SESSION_COOKIE.toLowerCase(Locale.ROOT),
            SANDBOX_TOKEN_COOKIE, SECURE_SANDBOX_TOKEN_COOKIE.toLowerCase(Locale.ROOT));

    /**
     * Whether a cookie of this name belongs to the control plane. Browsers match cookie names
     * exactly (and cookie prefixes case-insensitively), but a server may not: the comparison
     * ignores case and surrounding blanks so that {@code LiteBoxd_Session} cannot slip through
     * one side and be read by the other.
     */
    public static boolean isControlPlaneCookie(String name) {
        return name != null && COOKIES.contains(name.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether an {@code Authorization} value carries a LiteBoxd API key ({@code Bearer lbxk_…}, any case of "Bearer"). */
    public static boolean isApiKeyAuthorization(String value) {
        if (value == null) {
            return false;
        }
        String trimmed = value.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0) {
            return trimmed.startsWith(API_KEY_PREFIX);
        }
        return trimmed.substring(space + 1).trim().startsWith(API_KEY_PREFIX);
    }
}
