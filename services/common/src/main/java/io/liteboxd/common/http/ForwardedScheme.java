package io.liteboxd.common.http;

import java.util.Locale;

/**
 * The scheme a browser used to reach LiteBoxd, as {@code http} or {@code https}: TLS on this
 * connection, or what the ingress in front says in {@code X-Forwarded-Proto}. Ingresses say
 * {@code ws}/{@code wss} for WebSocket upgrades (Traefik does), which are the same origins as
 * {@code http}/{@code https}: a page on {@code https://host} opens {@code wss://host} with
 * {@code Origin: https://host}, and its cookies must keep the names they have under TLS.
 */
public final class ForwardedScheme {

    private ForwardedScheme() {}

    /**
     * @param secure whether this connection itself is TLS
     * @param forwardedProto the {@code X-Forwarded-Proto} header (its first entry counts), or null
     */
    public static String of(boolean secure, String forwardedProto) {
        if (secure) {
            return "https";
        }
        String proto = forwardedProto == null ? "" : forwardedProto.split(",")[0].trim().toLowerCase(Locale.ROOT);
        return switch (proto) {
            case "https", "wss" -> "https";
            default -> "http";
        };
    }

    public static boolean isHttps(boolean secure, String forwardedProto) {
        return of(secure, forwardedProto).equals("https");
    }
}
