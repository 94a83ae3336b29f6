package io.liteboxd.api.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The cap checks: exact quantity comparison, ttl 0, defaults within the caps, bad caps at start. */
class SandboxCapsTest {

    static SandboxLimits limits(String cpu, String memory, int ttl, boolean noExpiry, int startup) {
        return new SandboxLimits(cpu, memory, ttl, noExpiry, startup, BigDecimal.ZERO, 100);
    }

    static final SandboxCaps DEFAULTS = new SandboxCaps(limits("2", "4Gi", 86400, true, 600));

    @Test
    void cpuIsComparedByValueWhateverTheSuffix() {
        assertEquals(Optional.empty(), DEFAULTS.cpu("overrides.cpu", "2"));
        assertEquals(Optional.empty(), DEFAULTS.cpu("overrides.cpu", "2000m"));
        assertEquals(Optional.empty(), DEFAULTS.cpu("overrides.cpu", "1.5"));
        assertEquals(Optional.empty(), DEFAULTS.cpu("overrides.cpu", "2e0"));
        assertEquals(Optional.empty(), DEFAULTS.cpu("overrides.cpu", "2000000000n"));
        assertEquals(Optional.of("overrides.cpu 64 exceeds the maximum 2"), DEFAULTS.cpu("overrides.cpu", "64"));
        assertEquals(Optional.of("overrides.cpu 2001m exceeds the maximum 2"), DEFAULTS.cpu("overrides.cpu", "2001m"));
        assertEquals(Optional.of("overrides.cpu 2000000001n exceeds the maximum 2"),
                DEFAULTS.cpu("overrides.cpu", "2000000001n"));
        assertEquals(Optional.of("overrides.cpu 2.0001 exceeds the maximum 2"), DEFAULTS.cpu("overrides.cpu", "2.0001"));
        assertEquals(Optional.of("overrides.cpu 1k exceeds the maximum 2"), DEFAULTS.cpu("overrides.cpu", "1k"));
    }

    @Test
    void memoryIsComparedByValueAcrossBinaryAndDecimalSuffixes() {
        assertEquals(Optional.empty(), DEFAULTS.memory("f", "4Gi"));
        assertEquals(Optional.empty(), DEFAULTS.memory("f", "4096Mi"));
        assertEquals(Optional.empty(), DEFAULTS.memory("f", "4294967296"));
        assertEquals(Optional.empty(), DEFAULTS.memory("f", "4G"));
        assertEquals(Optional.of("f 4294967297 exceeds the maximum 4Gi"), DEFAULTS.memory("f", "4294967297"));
        assertEquals(Optional.of("f 4097Mi exceeds the maximum 4Gi"), DEFAULTS.memory("f", "4097Mi"));
        assertEquals(Optional.of("f 4.3G exceeds the maximum 4Gi"), DEFAULTS.memory("f", "4.3G"));
        assertEquals(Optional.of("overrides.memory 512Gi exceeds the maximum 4Gi"),
                DEFAULTS.memory("overrides.memory", "512Gi"));
    }

    @Test
    void zeroIsRefusedBecauseTheKubeletTakesItForNoLimit() {
        assertEquals(Optional.of("overrides.cpu must be greater than 0: 0"), DEFAULTS.cpu("overrides.cpu", "0"));
        assertEquals(Optional.of("overrides.memory must be greater than 0: 0Mi"),
                DEFAULTS.memory("overrides.memory", "0Mi"));
    }

    @Test
    void ttlUpToTheMaximumAndZeroOnlyWhenAllowed() {
        assertEquals(Optional.empty(), DEFAULTS.ttl("ttl", 86400));
        assertEquals(Optional.empty(), DEFAULTS.ttl("ttl", 0));
        assertEquals(Optional.of("ttl 86401 exceeds the maximum 86400"), DEFAULTS.ttl("ttl", 86401));
        SandboxCaps expiring = new SandboxCaps(limits("2", "4Gi", 3600, false, 600));
        assertEquals(Optional.empty(), expiring.ttl("overrides.ttl", 3600));
        assertEquals(Optional.of("overrides.ttl 0 (never expires) exceeds the maximum 3600 "
                + "(SANDBOX_ALLOW_NO_EXPIRY is false)"), expiring.ttl("overrides.ttl", 0));
    }

    @Test
    void startupTimeoutUpToTheMaximum() {
        assertEquals(Optional.empty(), DEFAULTS.startupTimeout("startupTimeout", 600));
        assertEquals(Optional.of("startupTimeout 601 exceeds the maximum 600"),
                DEFAULTS.startupTimeout("startupTimeout", 601));
    }

    @Test
    void defaultsAreUpstreamsUnlessACapIsLower() {
        assertEquals("500m", DEFAULTS.defaultCpu());
        assertEquals("512Mi", DEFAULTS.defaultMemory());
        assertEquals(300, DEFAULTS.defaultStartupTimeout());
        SandboxCaps small = new SandboxCaps(limits("250m", "256Mi", 60, true, 120));
        assertEquals("250m", small.defaultCpu());
        assertEquals("256Mi", small.defaultMemory());
        assertEquals(120, small.defaultStartupTimeout());
        SandboxCaps exact = new SandboxCaps(limits("0.5", "512Mi", 60, true, 300));
        assertEquals("500m", exact.defaultCpu());
        assertEquals("512Mi", exact.defaultMemory());
    }

    @Test
    void aCapThatIsNotAPositiveQuantityStopsTheStart() {
        var bad = assertThrows(IllegalArgumentException.class, () -> limits("two", "4Gi", 60, true, 60));
        assertEquals("liteboxd.sandbox.limits.maxCpu is not a positive quantity: two", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> limits("2", "0", 60, true, 60));
        assertThrows(IllegalArgumentException.class, () -> limits("2", "4XB", 60, true, 60));
    }
}
