package io.liteboxd.api.selftest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code liteboxd.selftest}: where the isolation self-test's probe connects to.
 * <ul>
 * <li>{@code controlPlaneTargets} ({@code SELFTEST_CONTROL_PLANE_TARGETS}): LiteBoxd's own Services as
 * {@code host:port,...}; the chart fills in its API and gateway Services. Empty: that check is skipped.
 * <li>{@code internetTarget} ({@code SELFTEST_INTERNET_TARGET}, 1.1.1.1:443): an address outside the
 * cluster, reachable exactly when the template allows internet access.
 * <li>{@code dnsName} ({@code SELFTEST_DNS_NAME}, kubernetes.default): a name every cluster resolves.
 * <li>{@code connectTimeout} ({@code SELFTEST_CONNECT_TIMEOUT}, 3s): how long a connection attempt may
 * take before it counts as blocked (whole seconds).
 * <li>{@code probeTtl} ({@code SELFTEST_PROBE_TTL}, 300): the probe sandbox's ttl in seconds, so it
 * goes away even if the API stops before deleting it.
 * </ul>
 */
@ConfigurationProperties("liteboxd.selftest")
public record SelfTestSettings(
        @Nullable String controlPlaneTargets,
        @Bindable(defaultValue = "1.1.1.1:443") @NotBlank String internetTarget,
        @Bindable(defaultValue = "kubernetes.default") @NotBlank String dnsName,
        @Bindable(defaultValue = "3s") Duration connectTimeout,
        @Bindable(defaultValue = "300") @Min(30) @Max(3600) int probeTtl) {

    public SelfTestSettings {
        // A mistake here must stop the API at start, not fail every self-test.
        controlPlane(controlPlaneTargets);
        ProbeTarget.parse(TargetKind.INTERNET, internetTarget);
        if (!dnsName.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("liteboxd.selftest.dns-name is not a host name: " + dnsName);
        }
        if (connectTimeout.toSeconds() < 1 || connectTimeout.toSeconds() > 30) {
            throw new IllegalArgumentException("liteboxd.selftest.connect-timeout must be 1s to 30s: " + connectTimeout);
        }
    }

    List<ProbeTarget> controlPlane() {
        return controlPlane(controlPlaneTargets);
    }

    ProbeTarget internet() {
        return ProbeTarget.parse(TargetKind.INTERNET, internetTarget);
    }

    private static List<ProbeTarget> controlPlane(String list) {
        List<ProbeTarget> targets = new ArrayList<>();
        if (list != null) {
            for (String item : list.split(",")) {
                if (!item.isBlank()) {
                    targets.add(ProbeTarget.parse(TargetKind.CONTROL_PLANE, item));
                }
            }
        }
        return targets;
    }
}
