package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.limits.SandboxCaps;
import io.liteboxd.api.limits.SandboxLimits;
import io.liteboxd.api.template.TemplateSpec;
import io.micronaut.http.HttpStatus;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sandbox create's checks without a cluster (the controller needs one to start): overrides over
 * the template, and the caps on the result wherever each value came from. All of this runs
 * before the row and the pod are written (SandboxService.create).
 */
class SandboxPlanTest {

    static final SandboxCaps CAPS = caps(true);

    static SandboxCaps caps(boolean allowNoExpiry) {
        return new SandboxCaps(new SandboxLimits("2", "4Gi", 86400, allowNoExpiry, 600, BigDecimal.ZERO, 100));
    }

    static TemplateSpec spec(String cpu, String memory, Integer ttl, Integer startupTimeout) {
        return new TemplateSpec("img", null, null, new TemplateSpec.Resources(cpu, memory), ttl,
                Map.of("A", "1"), null, startupTimeout, null, null, null, null, null, null, null);
    }

    static SandboxViews.Overrides overrides(String cpu, String memory, Integer ttl) {
        return new SandboxViews.Overrides(cpu, memory, ttl, null, null, null);
    }

    static String refused(TemplateSpec spec, SandboxViews.Overrides overrides, SandboxCaps caps) {
        ApiException e = assertThrows(ApiException.class, () -> SandboxPlan.of(spec, overrides, caps));
        assertEquals(HttpStatus.BAD_REQUEST, e.status());
        return e.getMessage();
    }

    @Test
    void theMeasuredBugOverridesAboveTheCapsAre400() {
        assertEquals("overrides.cpu 64 exceeds the maximum 2",
                refused(spec("500m", "512Mi", 60, 300), overrides("64", "512Gi", null), CAPS));
        assertEquals("overrides.memory 512Gi exceeds the maximum 4Gi",
                refused(spec("500m", "512Mi", 60, 300), overrides("1", "512Gi", null), CAPS));
        assertEquals("overrides.ttl 86401 exceeds the maximum 86400",
                refused(spec("500m", "512Mi", 60, 300), overrides(null, null, 86401), CAPS));
    }

    @Test
    void overridesAtTheCapsAreAccepted() {
        SandboxPlan plan = SandboxPlan.of(spec("500m", "512Mi", 60, 300), overrides("2000m", "4Gi", 86400), CAPS);
        assertEquals(new SandboxPlan("2000m", "4Gi", 86400, Map.of("A", "1"), 300, null, 0), plan);
    }

    @Test
    void aTemplateWrittenBeforeACapWasLoweredIsRefusedNamingTheTemplate() {
        assertEquals("template resources.cpu 4 exceeds the maximum 2",
                refused(spec("4", "512Mi", 60, 300), null, CAPS));
        assertEquals("template resources.memory 8Gi exceeds the maximum 4Gi",
                refused(spec("1", "8Gi", 60, 300), overrides("", "", null), CAPS));
        assertEquals("template ttl 100000 exceeds the maximum 86400",
                refused(spec("1", "1Gi", 100000, 300), null, CAPS));
        assertEquals("template startupTimeout 900 exceeds the maximum 600",
                refused(spec("1", "1Gi", 60, 900), null, CAPS));
    }

    @Test
    void anOverrideWithinTheCapsReplacesATemplateValueAboveThem() {
        SandboxPlan plan = SandboxPlan.of(spec("4", "8Gi", 100000, 300), overrides("1", "1Gi", 3600), CAPS);
        assertEquals("1", plan.cpu());
        assertEquals("1Gi", plan.memory());
        assertEquals(3600, plan.ttl());
    }

    @Test
    void ttlZeroNeverExpiresUnlessThatIsSwitchedOff() {
        assertEquals(0, SandboxPlan.of(spec("1", "1Gi", 0, 300), null, CAPS).ttl());
        assertEquals(0, SandboxPlan.of(spec("1", "1Gi", 60, 300), overrides(null, null, 0), CAPS).ttl());
        assertEquals("template ttl 0 (never expires) exceeds the maximum 86400 (SANDBOX_ALLOW_NO_EXPIRY is false)",
                refused(spec("1", "1Gi", 0, 300), null, caps(false)));
        assertEquals("overrides.ttl 0 (never expires) exceeds the maximum 86400 (SANDBOX_ALLOW_NO_EXPIRY is false)",
                refused(spec("1", "1Gi", 60, 300), overrides(null, null, 0), caps(false)));
        assertEquals(60, SandboxPlan.of(spec("1", "1Gi", 0, 300), overrides(null, null, 60), caps(false)).ttl());
    }

    @Test
    void zeroAndInvalidQuantitiesAre400() {
        assertEquals("overrides.cpu must be greater than 0: 0",
                refused(spec("1", "1Gi", 60, 300), overrides("0", null, null), CAPS));
        assertEquals("invalid overrides.memory: lots",
                refused(spec("1", "1Gi", 60, 300), overrides(null, "lots", null), CAPS));
        assertEquals("ttl must be >= 0", refused(spec("1", "1Gi", 60, 300), overrides(null, null, -1), CAPS));
    }

    @Test
    void missingValuesGetTheDefaultsWithinTheCaps() {
        SandboxPlan plan = SandboxPlan.of(spec(null, null, null, null), null, CAPS);
        assertEquals(new SandboxPlan("500m", "512Mi", 0, Map.of("A", "1"), 300, null, 0), plan);
        SandboxCaps small = new SandboxCaps(new SandboxLimits("250m", "256Mi", 60, true, 120, BigDecimal.ZERO, 1));
        assertEquals(new SandboxPlan("250m", "256Mi", 0, Map.of("A", "1"), 120, null, 0),
                SandboxPlan.of(spec(null, null, null, 0), null, small));
    }

    static TemplateSpec persistentSpec(String size, String storageClass, String reclaim, Integer idleTimeout) {
        return new TemplateSpec("img", null, null, new TemplateSpec.Resources("1", "1Gi"), 60, null, null, 300, null,
                null, null, new TemplateSpec.Persistence(true, "rootfs-overlay", size, storageClass, reclaim), null,
                idleTimeout, null);
    }

    static SandboxViews.Overrides persistenceOverrides(Map<String, Object> persistence, Integer idleTimeout) {
        return new SandboxViews.Overrides(null, null, null, null, persistence, idleTimeout);
    }

    @Test
    void aPersistentTemplatePlansItsClaimAndIdleTimeout() {
        SandboxPlan plan = SandboxPlan.of(persistentSpec("1Gi", "", "Retain", 600), null, CAPS);
        assertEquals(new SandboxPlan.Volume("1Gi", "", "Retain"), plan.volume());
        assertEquals(600, plan.idleTimeout());
        assertTrue(plan.persistent());
        SandboxPlan overridden = SandboxPlan.of(persistentSpec(null, "local-path", null, null),
                persistenceOverrides(Map.of("size", "5Gi"), 120), CAPS);
        assertEquals(new SandboxPlan.Volume("5Gi", "local-path", "Delete"), overridden.volume(),
                "a template stored without defaults gets Delete; the override's size wins");
        assertEquals(120, overridden.idleTimeout());
        assertEquals(0, SandboxPlan.of(persistentSpec("1Gi", "", null, 600), persistenceOverrides(null, 0), CAPS)
                .idleTimeout(), "overrides.idleTimeout 0 switches it off");
    }

    @Test
    void persistenceAndIdleOverridesOfAnEphemeralTemplateOrBadValuesAre400() {
        TemplateSpec ephemeral = spec("1", "1Gi", 60, 300);
        assertEquals(null, SandboxPlan.of(ephemeral, null, CAPS).volume());
        assertEquals("persistence overrides are not allowed when template persistence is disabled",
                refused(ephemeral, persistenceOverrides(Map.of("size", "1Gi"), null), CAPS));
        assertEquals("overrides.idleTimeout is only supported for persistence-enabled templates",
                refused(ephemeral, persistenceOverrides(null, 60), CAPS));
        assertEquals("overrides.idleTimeout must be >= 0",
                refused(persistentSpec("1Gi", "", null, null), persistenceOverrides(null, -1), CAPS));
        assertEquals("invalid overrides.persistence.size: lots",
                refused(persistentSpec("1Gi", "", null, null), persistenceOverrides(Map.of("size", "lots"), null), CAPS));
        assertEquals("invalid overrides.persistence.size: 5",
                refused(persistentSpec("1Gi", "", null, null), persistenceOverrides(Map.of("size", 5), null), CAPS));
    }
}
