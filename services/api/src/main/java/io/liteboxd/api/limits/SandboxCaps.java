package io.liteboxd.api.limits;

import io.liteboxd.api.kubernetes.Quantities;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * The checks of {@link SandboxLimits}, without the HTTP: each returns the message of a violation
 * naming the field, the value and the cap ({@code overrides.cpu 64 exceeds the maximum 2}), or
 * nothing. The caller prefixes it and picks the error shape (templates: {@code INVALID_REQUEST},
 * sandboxes: the flat body). Quantities must already be valid ({@link Quantities#isValid}).
 */
@Singleton
public final class SandboxCaps {

    /** Upstream's defaults for a template that names no cpu, memory or startup timeout. */
    static final String DEFAULT_CPU = "500m";
    static final String DEFAULT_MEMORY = "512Mi";
    static final int DEFAULT_STARTUP_TIMEOUT = 300;

    private final SandboxLimits limits;
    private final BigDecimal maxCpu;
    private final BigDecimal maxMemory;

    public SandboxCaps(SandboxLimits limits) {
        this.limits = limits;
        this.maxCpu = Quantities.value(limits.maxCpu());
        this.maxMemory = Quantities.value(limits.maxMemory());
    }

    public Optional<String> cpu(String field, String quantity) {
        return quantity(field, quantity, maxCpu, limits.maxCpu());
    }

    public Optional<String> memory(String field, String quantity) {
        return quantity(field, quantity, maxMemory, limits.maxMemory());
    }

    /** ttl in seconds, already known to be &ge; 0; 0 ("never expires") only with {@code allowNoExpiry}. */
    public Optional<String> ttl(String field, int ttl) {
        if (ttl == 0 && !limits.allowNoExpiry()) {
            return Optional.of(field + " 0 (never expires) exceeds the maximum " + limits.maxTtl()
                    + " (SANDBOX_ALLOW_NO_EXPIRY is false)");
        }
        return ttl > limits.maxTtl()
                ? Optional.of(field + " " + ttl + " exceeds the maximum " + limits.maxTtl())
                : Optional.empty();
    }

    public Optional<String> startupTimeout(String field, int seconds) {
        return seconds > limits.maxStartupTimeout()
                ? Optional.of(field + " " + seconds + " exceeds the maximum " + limits.maxStartupTimeout())
                : Optional.empty();
    }

    /** The cpu of a template that names none: upstream's 500m, or the cap if that is lower. */
    public String defaultCpu() {
        return Quantities.value(DEFAULT_CPU).compareTo(maxCpu) <= 0 ? DEFAULT_CPU : limits.maxCpu();
    }

    public String defaultMemory() {
        return Quantities.value(DEFAULT_MEMORY).compareTo(maxMemory) <= 0 ? DEFAULT_MEMORY : limits.maxMemory();
    }

    public int defaultStartupTimeout() {
        return Math.min(DEFAULT_STARTUP_TIMEOUT, limits.maxStartupTimeout());
    }

    public int maxLive() {
        return limits.maxLive();
    }

    public BigDecimal requestRatio() {
        return limits.requestRatio();
    }

    private static Optional<String> quantity(String field, String quantity, BigDecimal max, String maxText) {
        BigDecimal value = Quantities.value(quantity);
        if (value.signum() <= 0) {
            // A limit of 0 is no limit at all to the kubelet: it would escape every cap.
            return Optional.of(field + " must be greater than 0: " + quantity);
        }
        return value.compareTo(max) > 0
                ? Optional.of(field + " " + quantity + " exceeds the maximum " + maxText)
                : Optional.empty();
    }
}
