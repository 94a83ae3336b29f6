package io.liteboxd.api.limits;

import io.liteboxd.api.kubernetes.Quantities;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.math.BigDecimal;

/**
 * {@code liteboxd.sandbox.limits}: the most one sandbox may ask for, and how many may live at once.
 * Templates asking for more are refused at create, update, import and rollback; sandboxes at
 * create, whether the value comes from the overrides or from a template written before a cap was
 * lowered (400 {@code "<field> <value> exceeds the maximum <max>"}). See {@link SandboxCaps}.
 * <ul>
 * <li>{@code maxCpu} ({@code SANDBOX_MAX_CPU}, 2) and {@code maxMemory} ({@code SANDBOX_MAX_MEMORY}, 4Gi):
 * the largest cpu and memory limit, compared by value ({@code 2000m} = {@code 2}).
 * <li>{@code maxTtl} ({@code SANDBOX_MAX_TTL}, 86400 s) and {@code allowNoExpiry}
 * ({@code SANDBOX_ALLOW_NO_EXPIRY}, true): the longest ttl in seconds, and whether ttl 0 ("never
 * expires", upstream's default for a template without a ttl) is allowed besides. It is on by
 * default because templates without a ttl are how upstream's clients ask for a sandbox that lives
 * until it is deleted; {@code maxLive} bounds how many such sandboxes there can be. With false,
 * every sandbox expires within {@code maxTtl}, and ttl 0 is refused like any other excess.
 * <li>{@code maxStartupTimeout} ({@code SANDBOX_MAX_STARTUP_TIMEOUT}, 600 s): the longest
 * {@code startupTimeout} a template may set.
 * <li>{@code requestRatio} ({@code SANDBOX_REQUEST_RATIO}, 0): a sandbox's cpu and memory requests
 * are its limits times this ratio (0 &lt; ratio &le; 1). 0 keeps the fixed requests of before
 * (100m cpu, 128Mi memory, never above the limit), so the default changes nothing for running
 * installs. See {@link ResourceRequests}.
 * <li>{@code maxLive} ({@code SANDBOX_MAX_LIVE}, 100): sandboxes not yet deleted (any state,
 * terminating included, counted in the database); one more is 429.
 * </ul>
 * The default cpu, memory and startup timeout of a template that names none are lowered to the
 * caps when these are smaller, so an empty template stays valid under any cap.
 */
@ConfigurationProperties("liteboxd.sandbox.limits")
public record SandboxLimits(
        @Bindable(defaultValue = "2") @NotBlank String maxCpu,
        @Bindable(defaultValue = "4Gi") @NotBlank String maxMemory,
        @Bindable(defaultValue = "86400") @Positive int maxTtl,
        @Bindable(defaultValue = "true") boolean allowNoExpiry,
        @Bindable(defaultValue = "600") @Positive int maxStartupTimeout,
        @Bindable(defaultValue = "0") @DecimalMin("0") @DecimalMax("1") BigDecimal requestRatio,
        @Bindable(defaultValue = "100") @Positive int maxLive) {

    public SandboxLimits {
        // A typo in a cap must stop the API at start, not turn every create into a 500.
        for (String[] cap : new String[][] {{"maxCpu", maxCpu}, {"maxMemory", maxMemory}}) {
            if (cap[1] != null && !cap[1].isBlank()
                    && (!Quantities.isValid(cap[1]) || Quantities.value(cap[1]).signum() <= 0)) {
                throw new IllegalArgumentException("liteboxd.sandbox.limits." + cap[0]
                        + " is not a positive quantity: " + cap[1]);
            }
        }
    }
}
