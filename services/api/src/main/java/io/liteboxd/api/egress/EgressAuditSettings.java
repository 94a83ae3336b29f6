package io.liteboxd.api.egress;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * {@code liteboxd.egress-audit}: where the API reads the egress proxies' recent decisions
 * ({@code GET /sandboxes/{id}/egress}). {@code host} is a name that resolves to every ready proxy
 * pod (the chart's headless Service, {@code EGRESS_AUDIT_HOST}); empty when the proxy is off.
 *
 * @param host    the proxies' headless Service name; empty = no proxy, the endpoint answers 409
 * @param port    their HTTP port (8083)
 * @param timeout how long one proxy may take to answer before it is left out
 */
@ConfigurationProperties("liteboxd.egress-audit")
public record EgressAuditSettings(@Nullable String host, @Nullable Integer port, @Nullable Duration timeout) {

    public EgressAuditSettings {
        host = host == null ? "" : host.trim();
        port = port == null ? 8083 : port;
        timeout = timeout == null ? Duration.ofSeconds(3) : timeout;
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("liteboxd.egress-audit.port must be 1-65535: " + port);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("liteboxd.egress-audit.timeout must be positive: " + timeout);
        }
    }

    public boolean enabled() {
        return !host.isEmpty();
    }
}
