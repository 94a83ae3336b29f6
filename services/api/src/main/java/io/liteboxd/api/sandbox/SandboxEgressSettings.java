package io.liteboxd.api.sandbox;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * {@code liteboxd.egress}: the egress proxy sandboxes with a domain allowlist go through
 * ({@code EGRESS_PROXY_URL}, e.g. {@code http://liteboxd-egress.liteboxd.svc.cluster.local:3128};
 * the chart sets it only with {@code egress.enabled}). Empty: the proxy is off, and such a
 * sandbox has no way out at all, as before the proxy existed. Checked at start-up: a typo here
 * would only show as every allowlisted sandbox failing to reach anything.
 *
 * @param proxyUrl {@code http://host:port}, nothing else; empty = off
 */
@ConfigurationProperties("liteboxd.egress")
public record SandboxEgressSettings(@Nullable String proxyUrl) {

    public SandboxEgressSettings {
        proxyUrl = proxyUrl == null ? "" : proxyUrl.trim();
        if (!proxyUrl.isEmpty()) {
            check(proxyUrl);
        }
    }

    private static void check(String url) {
        try {
            URI uri = new URI(url);
            boolean plain = "http".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0
                    && uri.getUserInfo() == null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
            if (!plain) {
                throw new IllegalArgumentException("liteboxd.egress.proxy-url must be http://host:port: " + url);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("liteboxd.egress.proxy-url is not a URL: " + url, e);
        }
    }
}
