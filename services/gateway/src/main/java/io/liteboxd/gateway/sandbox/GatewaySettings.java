package io.liteboxd.gateway.sandbox;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code liteboxd.gateway}: where sandbox pods live, how they are addressed, and the bounds on
 * what the gateway holds for them. HTTP timeouts to pods are the
 * {@code micronaut.http.services.sandbox.*} settings. Checked here rather than with Bean
 * Validation, which this service does not otherwise need.
 *
 * @param sandboxDomain         host mode: {@code <port>-<id>.<sandboxDomain>} is a sandbox's port; empty = path mode only
 * @param pathModeCsp           the {@code Content-Security-Policy} added to every path-mode response; empty = none
 * @param tunnelBufferBytes     bytes one tunnel may hold in one direction before it stops reading that side
 * @param tunnelsBufferBytes    bytes all tunnels together may hold before each stops reading
 * @param maxFrameBytes         the largest WebSocket frame a client may send (at most {@value #FRAME_CEILING})
 * @param maxTunnels            open (and opening) WebSocket tunnels; beyond it an upgrade is 503
 * @param maxConnections        client connections; beyond it a new one is closed at once
 */
@ConfigurationProperties("liteboxd.gateway")
public record GatewaySettings(
        String namespace,
        @Bindable(defaultValue = "45s") Duration tunnelHandshakeTimeout,
        @Nullable String sandboxDomain,
        @Nullable @Bindable(defaultValue = DEFAULT_CSP) String pathModeCsp,
        @Bindable(defaultValue = "1048576") long tunnelBufferBytes,
        @Bindable(defaultValue = "67108864") long tunnelsBufferBytes,
        @Bindable(defaultValue = "16777216") int maxFrameBytes,
        @Bindable(defaultValue = "1000") int maxTunnels,
        @Bindable(defaultValue = "10000") int maxConnections) {

    /**
     * Scripts, forms and popups work; what is missing is {@code allow-same-origin}: the page gets
     * an opaque origin, so it cannot read the API's cookies or call the API as the user on the
     * origin it shares with it.
     */
    public static final String DEFAULT_CSP = "sandbox allow-scripts allow-forms allow-popups "
            + "allow-popups-to-escape-sandbox allow-modals allow-downloads";
    /** The client frame limit is compiled into the WebSocket route; configuration can only lower it. */
    public static final int FRAME_CEILING = 16 * 1024 * 1024;

    public GatewaySettings {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("liteboxd.gateway.namespace must be set");
        }
        if (tunnelHandshakeTimeout == null || tunnelHandshakeTimeout.isNegative() || tunnelHandshakeTimeout.isZero()) {
            throw new IllegalArgumentException("liteboxd.gateway.tunnel-handshake-timeout must be positive");
        }
        sandboxDomain = normalizeDomain(sandboxDomain);
        pathModeCsp = pathModeCsp == null ? "" : pathModeCsp.trim();
        if (pathModeCsp.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("liteboxd.gateway.path-mode-csp must be a single header line");
        }
        positive("tunnel-buffer-bytes", tunnelBufferBytes);
        positive("tunnels-buffer-bytes", tunnelsBufferBytes);
        positive("max-frame-bytes", maxFrameBytes);
        positive("max-tunnels", maxTunnels);
        positive("max-connections", maxConnections);
        if (maxFrameBytes > FRAME_CEILING) {
            throw new IllegalArgumentException("liteboxd.gateway.max-frame-bytes must be at most " + FRAME_CEILING);
        }
        if (tunnelsBufferBytes < tunnelBufferBytes) {
            throw new IllegalArgumentException(
                    "liteboxd.gateway.tunnels-buffer-bytes must be at least liteboxd.gateway.tunnel-buffer-bytes");
        }
    }

    /** Whether sandboxes are also served on their own hosts. */
    public boolean hostMode() {
        return !sandboxDomain.isEmpty();
    }

    private static String normalizeDomain(@Nullable String domain) {
        String d = domain == null ? "" : domain.trim().toLowerCase(Locale.ROOT);
        while (d.startsWith(".")) {
            d = d.substring(1);
        }
        while (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (!d.isEmpty() && !d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new IllegalArgumentException("liteboxd.gateway.sandbox-domain is not a DNS name: " + domain);
        }
        return d;
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("liteboxd.gateway." + name + " must be positive");
        }
    }
}
