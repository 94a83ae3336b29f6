package io.liteboxd.controller;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code liteboxd.controller}: where sandboxes live, where the Lease lives, who this replica is
 * and the Lease timings (client-go's defaults scaled for a small control plane: the standby
 * takes over at most {@code leaseDuration} after the leader vanished, at once when it resigns).
 */
@ConfigurationProperties("liteboxd.controller")
public record ControllerSettings(String sandboxNamespace, String controlNamespace, String identity, String leaseName,
                                 Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    public ControllerSettings {
        if (identity == null || identity.isBlank()) {
            String host = System.getenv("HOSTNAME");
            identity = host == null || host.isBlank() ? "liteboxd-controller-" + ProcessHandle.current().pid() : host;
        }
        for (String value : new String[] {sandboxNamespace, controlNamespace, identity, leaseName}) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("liteboxd.controller: namespaces, identity and lease name must be set");
            }
        }
        if (!(leaseDuration.compareTo(renewDeadline) > 0 && renewDeadline.compareTo(retryPeriod) > 0
                && !retryPeriod.isNegative() && !retryPeriod.isZero())) {
            throw new IllegalArgumentException(
                    "liteboxd.controller: need lease-duration > renew-deadline > retry-period > 0");
        }
    }
}
