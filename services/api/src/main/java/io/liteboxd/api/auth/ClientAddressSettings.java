package io.liteboxd.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * {@code liteboxd.auth.client}: the proxies whose {@code X-Forwarded-For} is believed
 * ({@code AUTH_TRUSTED_PROXIES}, CIDRs, comma-separated; default the private and loopback
 * ranges, where the ingress controller runs). See {@link ClientAddress}.
 */
@ConfigurationProperties("liteboxd.auth.client")
public record ClientAddressSettings(
        @Bindable(defaultValue = ClientAddressSettings.PRIVATE_RANGES) @NotNull List<String> trustedProxies) {

    static final String PRIVATE_RANGES = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,127.0.0.0/8,::1/128,fc00::/7";
}
