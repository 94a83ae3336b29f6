package io.liteboxd.gateway.proxy;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import java.util.Locale;
import java.util.Optional;

/**
 * Host mode's address: {@code <port>-<id>.<sandboxDomain>} (case-insensitive, with or without a
 * {@code :port} and a trailing dot). A host under the sandbox domain that does not have that
 * shape is refused rather than served by the gateway itself: nothing on a sandbox's host may
 * reach the gateway's own endpoints.
 */
public record SandboxHost(String sandboxId, int port) {

    /**
     * The sandbox a Host header names, or empty if it is not under the sandbox domain (or host
     * mode is off, {@code sandboxDomain} empty).
     *
     * @throws GatewayError for a host under the sandbox domain that names no sandbox port
     */
    public static Optional<SandboxHost> match(@Nullable String hostHeader, String sandboxDomain) {
        if (sandboxDomain.isEmpty() || hostHeader == null) {
            return Optional.empty();
        }
        String host = withoutPort(hostHeader.trim()).toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.equals(sandboxDomain)) {
            throw new GatewayError(HttpStatus.NOT_FOUND, "sandbox not found");
        }
        if (!host.endsWith("." + sandboxDomain)) {
            return Optional.empty();
        }
        String label = host.substring(0, host.length() - sandboxDomain.length() - 1);
        int dash = label.indexOf('-');
        if (label.contains(".") || dash <= 0 || dash == label.length() - 1) {
            throw new GatewayError(HttpStatus.NOT_FOUND, "sandbox not found");
        }
        String id = label.substring(dash + 1);
        if (!id.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            throw new GatewayError(HttpStatus.NOT_FOUND, "sandbox not found");
        }
        return Optional.of(new SandboxHost(id, SandboxAddress.parsePort(label.substring(0, dash))));
    }

    /**
     * Whether a Host header is the sandbox domain or any host under it, well-formed or not: every
     * such request belongs to a sandbox (or is refused as one), never to the gateway itself.
     */
    public static boolean isUnderDomain(@Nullable String hostHeader, String sandboxDomain) {
        if (sandboxDomain.isEmpty() || hostHeader == null) {
            return false;
        }
        String host = withoutPort(hostHeader.trim()).toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.equals(sandboxDomain) || host.endsWith("." + sandboxDomain);
    }

    /** {@code name:8080} → {@code name}; an IPv6 literal ({@code [::1]:8080}) is never a sandbox host. */
    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            return host;
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
