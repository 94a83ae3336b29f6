package io.liteboxd.gateway.wake;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * {@code liteboxd.gateway.wake}: how long a request for a stopped (or starting) persistent
 * sandbox is held while it starts, and how many may be held at once, so a flood of requests for
 * stopped sandboxes costs bounded memory.
 *
 * @param timeout    held at most this long, then 503 with {@code Retry-After} ({@code GATEWAY_WAKE_TIMEOUT})
 * @param maxWaiting requests held at once; beyond it 503 with {@code Retry-After} at once
 */
@ConfigurationProperties("liteboxd.gateway.wake")
public record WakeSettings(@Bindable(defaultValue = "120s") Duration timeout,
                           @Bindable(defaultValue = "1000") int maxWaiting) {

    public WakeSettings {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("liteboxd.gateway.wake.timeout must be positive");
        }
        if (maxWaiting <= 0) {
            throw new IllegalArgumentException("liteboxd.gateway.wake.max-waiting must be positive");
        }
    }
}
