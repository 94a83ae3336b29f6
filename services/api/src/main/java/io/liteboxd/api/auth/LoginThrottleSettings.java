package io.liteboxd.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;

/**
 * {@code liteboxd.auth.login}: after {@code freeFailures} failed logins
 * ({@code AUTH_LOGIN_FREE_FAILURES}) a client address or user name is locked for
 * {@code backoffBase} ({@code AUTH_LOGIN_BACKOFF_BASE}), doubling with each further failure up to
 * {@code backoffMax} ({@code AUTH_LOGIN_BACKOFF_MAX}). At most {@code maxTrackedKeys}
 * ({@code AUTH_LOGIN_MAX_TRACKED_KEYS}) addresses and names are remembered; the oldest go first.
 */
@ConfigurationProperties("liteboxd.auth.login")
public record LoginThrottleSettings(
        @Bindable(defaultValue = "5") @PositiveOrZero int freeFailures,
        @Bindable(defaultValue = "1s") @NotNull Duration backoffBase,
        @Bindable(defaultValue = "15m") @NotNull Duration backoffMax,
        @Bindable(defaultValue = "10000") @Positive int maxTrackedKeys) {

    public LoginThrottleSettings {
        if (backoffBase != null && (backoffBase.isNegative() || backoffBase.isZero())) {
            throw new IllegalArgumentException("liteboxd.auth.login.backoff-base must be positive");
        }
        if (backoffBase != null && backoffMax != null && backoffMax.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("liteboxd.auth.login.backoff-max must be >= backoff-base");
        }
    }
}
