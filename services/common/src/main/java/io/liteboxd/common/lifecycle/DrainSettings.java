package io.liteboxd.common.lifecycle;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code liteboxd.drain}: how long a drain may take and whether this process takes SIGTERM
 * itself. Checked here, at start-up, because a bad timeout would only show at the next
 * rollout: a zero or negative one kills in-flight work, an absurd one outlives the kubelet's
 * grace period so the pod is SIGKILLed mid-drain anyway.
 *
 * @param timeout       how long a drain waits for in-flight requests and sessions
 *                      ({@code DRAIN_TIMEOUT}, with a unit such as {@code 25s})
 * @param signalHandler whether SIGTERM starts a drain and then exits (tests turn it off)
 */
@ConfigurationProperties("liteboxd.drain")
public record DrainSettings(
        @Bindable(defaultValue = "25s") Duration timeout,
        @Bindable(defaultValue = "true") boolean signalHandler) {

    /** Kubernetes' own default grace period is 30 s; nothing we run should need ten times that. */
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

    public DrainSettings {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException(
                    "liteboxd.drain.timeout must be more than 0 and at most " + MAX_TIMEOUT + ", was " + timeout);
        }
    }
}
