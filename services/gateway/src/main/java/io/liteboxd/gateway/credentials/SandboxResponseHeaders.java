package io.liteboxd.gateway.credentials;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpHeaders;
import java.util.List;

/**
 * The headers of a sandbox's response, made safe for the browser: {@code Set-Cookie} through
 * {@link SetCookieRewriter}, {@code Set-Cookie2} (obsolete, and not rewritable with confidence)
 * dropped. In path mode, where the sandbox shares the API's origin, {@code Clear-Site-Data} is
 * dropped (it would wipe the API's cookies and storage) and the configured
 * {@code Content-Security-Policy} is added beside the app's own (browsers enforce every policy
 * they get), so that the sandbox's pages run in an opaque origin.
 */
public final class SandboxResponseHeaders {

    static final String SET_COOKIE2 = "Set-Cookie2";
    static final String CLEAR_SITE_DATA = "Clear-Site-Data";
    static final String CSP = "Content-Security-Policy";

    private SandboxResponseHeaders() {}

    /**
     * @param mountPath path mode: the sandbox port's mount path; null in host mode
     * @param pathModeCsp the policy to add in path mode; empty for none
     */
    public static void isolate(MutableHttpHeaders headers, @Nullable String mountPath, String pathModeCsp) {
        List<String> cookies = headers.getAll(HttpHeaders.SET_COOKIE);
        if (!cookies.isEmpty()) {
            headers.remove(HttpHeaders.SET_COOKIE);
            for (String cookie : cookies) {
                SetCookieRewriter.rewrite(cookie, mountPath).ifPresent(c -> headers.add(HttpHeaders.SET_COOKIE, c));
            }
        }
        headers.remove(SET_COOKIE2);
        if (mountPath != null) {
            headers.remove(CLEAR_SITE_DATA);
            if (!pathModeCsp.isEmpty()) {
                headers.add(CSP, pathModeCsp);
            }
        }
    }
}
