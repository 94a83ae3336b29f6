package io.liteboxd.gateway.credentials;

import static io.liteboxd.common.auth.ControlPlaneCredentials.isApiKeyAuthorization;
import static io.liteboxd.common.auth.ControlPlaneCredentials.isControlPlaneCookie;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpHeaders;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

/**
 * Takes the control plane's credentials out of a request before it goes to a sandbox (HTTP and
 * the WebSocket dial alike): the sandbox access token header, the API's session cookie and the
 * gateway's token cookie (only those pairs; the app's own cookies stay), an API key in
 * {@code Authorization}, and an {@code Authorization} that repeats one of those cookie values
 * (a page that copied the session into a header). The app's own {@code Authorization} passes.
 */
public final class CredentialFilter {

    public static final String ACCESS_TOKEN_HEADER = "X-Access-Token";

    private CredentialFilter() {}

    public static void strip(MutableHttpHeaders headers) {
        headers.remove(ACCESS_TOKEN_HEADER);
        Set<String> controlPlaneValues = stripCookies(headers);
        List<String> authorizations = headers.getAll(HttpHeaders.AUTHORIZATION);
        if (authorizations.isEmpty()) {
            return;
        }
        List<String> kept = authorizations.stream()
                .filter(value -> !isApiKeyAuthorization(value) && !controlPlaneValues.contains(credential(value)))
                .toList();
        if (kept.size() != authorizations.size()) {
            headers.remove(HttpHeaders.AUTHORIZATION);
            kept.forEach(value -> headers.add(HttpHeaders.AUTHORIZATION, value));
        }
    }

    /** Removes control-plane pairs from every Cookie header; returns their values. */
    private static Set<String> stripCookies(MutableHttpHeaders headers) {
        Set<String> removedValues = new HashSet<>();
        List<String> cookieHeaders = headers.getAll(HttpHeaders.COOKIE);
        if (cookieHeaders.isEmpty()) {
            return removedValues;
        }
        List<String> kept = new ArrayList<>();
        boolean changed = false;
        for (String header : cookieHeaders) {
            StringJoiner pairs = new StringJoiner("; ");
            for (Cookies.Pair pair : Cookies.parse(header)) {
                if (isControlPlaneCookie(pair.name())) {
                    changed = true;
                    if (!pair.value().isEmpty()) {
                        removedValues.add(pair.value());
                    }
                } else {
                    pairs.add(pair.text());
                }
            }
            if (pairs.length() > 0) {
                kept.add(pairs.toString());
            }
        }
        if (changed) {
            headers.remove(HttpHeaders.COOKIE);
            kept.forEach(value -> headers.add(HttpHeaders.COOKIE, value));
        }
        return removedValues;
    }

    /** {@code Bearer abc} → {@code abc}; a value without a scheme is its own credential. */
    private static String credential(String authorization) {
        String trimmed = authorization.trim();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(space + 1).trim();
    }
}
