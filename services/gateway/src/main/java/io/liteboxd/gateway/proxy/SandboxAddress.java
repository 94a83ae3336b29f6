package io.liteboxd.gateway.proxy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import java.util.StringJoiner;

/**
 * What {@code /api/v1/sandbox/{id}/port/{port}/{path}?{query}} asks for. The path and query are
 * kept raw (still percent-encoded) so the pod sees exactly what the client sent, minus the
 * {@code access_token} parameter, which is taken out here and never forwarded.
 *
 * @param path always starts with {@code /}; empty when the URL ended at the port (a redirect)
 */
public record SandboxAddress(String sandboxId, int port, String path, String query, @Nullable String queryToken) {

    static final String PREFIX = "/api/v1/sandbox/";
    static final String TOKEN_PARAMETER = "access_token";

    static SandboxAddress parse(String rawPath, @Nullable String rawQuery) {
        String rest = rawPath.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        if (id.isEmpty()) {
            throw new GatewayError(HttpStatus.BAD_REQUEST, "sandbox ID is required");
        }
        String afterId = slash < 0 ? "" : rest.substring(slash);
        if (!afterId.startsWith("/port/")) {
            throw new GatewayError(HttpStatus.NOT_FOUND, "not found");
        }
        String portAndPath = afterId.substring("/port/".length());
        int end = portAndPath.indexOf('/');
        String portText = end < 0 ? portAndPath : portAndPath.substring(0, end);
        int port = parsePort(portText);
        String path = end < 0 ? "" : portAndPath.substring(end);
        String token = null;
        StringJoiner kept = new StringJoiner("&");
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.equals(TOKEN_PARAMETER) || pair.startsWith(TOKEN_PARAMETER + "=")) {
                    token = java.net.URLDecoder.decode(pair.substring(Math.min(pair.length(), TOKEN_PARAMETER.length() + 1)),
                            java.nio.charset.StandardCharsets.UTF_8);
                } else {
                    kept.add(pair);
                }
            }
        }
        return new SandboxAddress(id, port, path, kept.toString(), token);
    }

    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw new GatewayError(HttpStatus.BAD_REQUEST, "invalid port number");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new GatewayError(HttpStatus.BAD_REQUEST, "invalid port number");
        }
        return port;
    }

    /** Path and query as the pod should see them. */
    public String pathAndQuery() {
        return (path.isEmpty() ? "/" : path) + (query.isEmpty() ? "" : "?" + query);
    }
}
