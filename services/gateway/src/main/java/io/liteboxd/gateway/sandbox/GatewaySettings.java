package io.liteboxd.gateway.sandbox;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code liteboxd.gateway}: where sandbox pods live and how long a WebSocket tunnel may take to
 * reach its pod. HTTP timeouts to pods are the {@code micronaut.http.services.sandbox.*} settings.
 * Checked here rather than with Bean Validation, which this service does not otherwise need.
 */
@ConfigurationProperties("liteboxd.gateway")
public record GatewaySettings(String namespace, @Bindable(defaultValue = "45s") Duration tunnelHandshakeTimeout) {

    public GatewaySettings {
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("liteboxd.gateway.namespace must be set");
        }
        if (tunnelHandshakeTimeout == null || tunnelHandshakeTimeout.isNegative() || tunnelHandshakeTimeout.isZero()) {
            throw new IllegalArgumentException("liteboxd.gateway.tunnel-handshake-timeout must be positive");
        }
    }
}
