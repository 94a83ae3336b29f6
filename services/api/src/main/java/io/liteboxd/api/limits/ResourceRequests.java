package io.liteboxd.api.limits;

import io.kubernetes.client.custom.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * A sandbox container's cpu and memory requests, derived from its limits ({@link SandboxLimits#requestRatio}).
 * Ratio 0: the fixed requests of before (100m, 128Mi), lowered to the limit when it is smaller.
 * Otherwise limit &times; ratio, rounded up to a millicore and to a byte (what the API server
 * would round to anyway), so a request is never 0 and never above its limit. The ephemeral-storage
 * request follows the same rule with 64Mi as its fixed value: most sandboxes write little, and a
 * request at the limit would reserve node disk that is never used.
 */
public final class ResourceRequests {

    static final Quantity FIXED_CPU = Quantity.fromString("100m");
    static final Quantity FIXED_MEMORY = Quantity.fromString("128Mi");
    static final Quantity FIXED_EPHEMERAL_STORAGE = Quantity.fromString("64Mi");

    private ResourceRequests() {}

    public record Requests(Quantity cpu, Quantity memory) {}

    public static Requests of(Quantity cpuLimit, Quantity memoryLimit, BigDecimal ratio) {
        if (ratio.signum() == 0) {
            return new Requests(min(FIXED_CPU, cpuLimit), min(FIXED_MEMORY, memoryLimit));
        }
        Quantity cpu = new Quantity(cpuLimit.getNumber().multiply(ratio).setScale(3, RoundingMode.CEILING),
                Quantity.Format.DECIMAL_SI);
        Quantity memory = new Quantity(memoryLimit.getNumber().multiply(ratio).setScale(0, RoundingMode.CEILING),
                Quantity.Format.BINARY_SI);
        return new Requests(min(cpu, cpuLimit), min(memory, memoryLimit));
    }

    public static Quantity ephemeralStorage(Quantity limit, BigDecimal ratio) {
        if (ratio.signum() == 0) {
            return min(FIXED_EPHEMERAL_STORAGE, limit);
        }
        return min(new Quantity(limit.getNumber().multiply(ratio).setScale(0, RoundingMode.CEILING),
                Quantity.Format.BINARY_SI), limit);
    }

    private static Quantity min(Quantity a, Quantity b) {
        return a.getNumber().compareTo(b.getNumber()) <= 0 ? a : b;
    }
}
