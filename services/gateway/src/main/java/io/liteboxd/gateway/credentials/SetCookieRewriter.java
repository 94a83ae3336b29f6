package io.liteboxd.gateway.credentials;

import static io.liteboxd.common.auth.ControlPlaneCredentials.isControlPlaneCookie;

import io.micronaut.core.annotation.Nullable;
import java.util.Locale;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * What becomes of a sandbox's {@code Set-Cookie}. A cookie named like the control plane's is
 * dropped (a sandbox must not plant, shadow or delete the API's session or the gateway's token
 * cookie). {@code Domain} is removed, so the cookie is host-only: in host mode a sandbox cannot
 * set cookies for its siblings or the API's host. In path mode, where every sandbox shares the
 * API's origin, {@code Path} is moved under the sandbox port's mount path.
 */
public final class SetCookieRewriter {

    private SetCookieRewriter() {}

    /**
     * @param mountPath path mode: {@code /api/v1/sandbox/{id}/port/{port}/}; null in host mode
     * @return the header to send on, or empty to drop it
     */
    public static Optional<String> rewrite(String setCookie, @Nullable String mountPath) {
        String[] parts = setCookie.split(";");
        if (isControlPlaneCookie(effectiveName(parts[0].trim()))) {
            return Optional.empty();
        }
        StringJoiner out = new StringJoiner("; ");
        out.add(parts[0].trim());
        for (int i = 1; i < parts.length; i++) {
            String attribute = parts[i].trim();
            if (attribute.isEmpty()) {
                continue;
            }
            int eq = attribute.indexOf('=');
            String name = (eq < 0 ? attribute : attribute.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            if (name.equals("domain")) {
                continue;
            }
            if (name.equals("path") && mountPath != null) {
                String path = eq < 0 ? "" : attribute.substring(eq + 1).trim();
                out.add("Path=" + mountPath + (path.startsWith("/") ? path.substring(1) : ""));
                continue;
            }
            out.add(attribute);
        }
        return Optional.of(out.toString());
    }

    /**
     * The name a server will read back. A cookie with an empty name ({@code =liteboxd_session=x})
     * comes back from browsers as just its value ({@code Cookie: liteboxd_session=x}), so its
     * value is what names it.
     */
    private static String effectiveName(String nameValue) {
        int eq = nameValue.indexOf('=');
        if (eq > 0 && !nameValue.substring(0, eq).isBlank()) {
            return nameValue.substring(0, eq);
        }
        String value = eq < 0 ? nameValue : nameValue.substring(eq + 1);
        int inner = value.indexOf('=');
        return inner < 0 ? value : value.substring(0, inner);
    }
}
