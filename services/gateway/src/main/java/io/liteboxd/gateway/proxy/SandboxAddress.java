package io.liteboxd.gateway.proxy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * What a request asks of a sandbox: in path mode {@code /api/v1/sandbox/{id}/port/{port}/{path}?{query}},
 * in host mode {@code {port}-{id}.<sandbox domain>/{path}?{query}}. The path and query are kept
 * raw (still percent-encoded) so the pod sees exactly what the client sent, minus the
 * {@code access_token} parameter, which is taken out here and never forwarded.
 *
 * @param path      always starts with {@code /}; empty when a path-mode URL ended at the port (a redirect)
 * @param mountPath path mode: {@code /api/v1/sandbox/{id}/port/{port}/}, where the sandbox's
 *                  root appears on the shared origin; {@code null} in host mode (the sandbox owns its host)
 */
public record SandboxAddress(String sandboxId, int port, String path, String query, @Nullable String queryToken,
                             @Nullable String mountPath) {

    static final String PREFIX = "/api/v1/sandbox/";
    static final String TOKEN_PARAMETER = "access_token";

    /** Path mode: the sandbox and port are in the path. */
    static SandboxAddress ofPath(String rawPath, @Nullable String rawQuery) {
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
        int port = parsePort(end < 0 ? portAndPath : portAndPath.substring(0, end));
        String path = end < 0 ? "" : portAndPath.substring(end);
        return withQuery(id, port, path, rawQuery, PREFIX + id + "/port/" + port + "/");
    }

    /** Host mode: the Host named the sandbox and port; the whole path is the sandbox's. */
    static SandboxAddress ofHost(SandboxHost host, String rawPath, @Nullable String rawQuery) {
        return withQuery(host.sandboxId(), host.port(), rawPath.isEmpty() ? "/" : rawPath, rawQuery, null);
    }

    private static SandboxAddress withQuery(String id, int port, String path, @Nullable String rawQuery,
                                            @Nullable String mountPath) {
        String token = null;
        StringJoiner kept = new StringJoiner("&");
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.equals(TOKEN_PARAMETER) || pair.startsWith(TOKEN_PARAMETER + "=")) {
                    token = URLDecoder.decode(pair.substring(Math.min(pair.length(), TOKEN_PARAMETER.length() + 1)),
                            StandardCharsets.UTF_8);
                } else {
                    kept.add(pair);
                }
            }
        }
        return new SandboxAddress(id, port, path, kept.toString(), token, mountPath);
    }

    static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new GatewayError(HttpStatus.BAD_REQUEST, "invalid port number");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new GatewayError(HttpStatus.BAD_REQUEST, "invalid port number");
        }
        return port;
    }

    /** Whether the sandbox shares the gateway's origin under {@link #mountPath()}. */
    public boolean pathMode() {
        return mountPath != null;
    }

    /** Path and query as the pod should see them. */
    public String pathAndQuery() {
        return (path.isEmpty() ? "/" : path) + (query.isEmpty() ? "" : "?" + query);
    }
}
