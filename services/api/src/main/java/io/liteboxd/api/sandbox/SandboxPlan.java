package io.liteboxd.api.sandbox;

import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.kubernetes.Quantities;
import io.liteboxd.api.limits.SandboxCaps;
import io.liteboxd.api.template.TemplateSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a new sandbox gets: the template spec with the request's overrides applied (spec §3.1
 * step 3), checked against the caps. Pure: every 400 is decided here, before a row or a pod exists.
 * A value over a cap is refused whether it comes from the overrides or from the template (one
 * written before a cap was lowered), and the message names which ({@code overrides.cpu 64 exceeds
 * the maximum 2}, {@code template resources.cpu 4 exceeds the maximum 2}).
 */
record SandboxPlan(String cpu, String memory, int ttl, Map<String, String> env, int startupTimeout) {

    static SandboxPlan of(TemplateSpec spec, SandboxViews.Overrides overrides, SandboxCaps caps) {
        if (spec.persistence() != null && spec.persistence().enabled()) {
            throw ApiException.badRequest("persistent sandboxes are not supported yet");
        }
        if (spec.files() != null && spec.files().stream().anyMatch(f -> f.source() != null && !f.source().isEmpty())) {
            throw ApiException.badRequest("template files with a source URL are not supported");
        }
        String cpu = spec.resources() == null ? null : spec.resources().cpu();
        String cpuField = "template resources.cpu";
        String memory = spec.resources() == null ? null : spec.resources().memory();
        String memoryField = "template resources.memory";
        int ttl = spec.ttl() == null ? 0 : spec.ttl();
        String ttlField = "template ttl";
        Map<String, String> env = new HashMap<>(spec.env() == null ? Map.of() : spec.env());
        if (overrides != null) {
            if (overrides.cpu() != null && !overrides.cpu().isEmpty()) {
                cpu = overrides.cpu();
                cpuField = "overrides.cpu";
            }
            if (overrides.memory() != null && !overrides.memory().isEmpty()) {
                memory = overrides.memory();
                memoryField = "overrides.memory";
            }
            if (overrides.ttl() != null) {
                ttl = overrides.ttl();
                ttlField = "overrides.ttl";
            }
            if (overrides.env() != null) {
                env.putAll(overrides.env());
            }
            if (overrides.persistence() != null && !overrides.persistence().isEmpty()) {
                throw ApiException.badRequest(
                        "persistence overrides are not allowed when template persistence is disabled");
            }
        }
        // Rows written before the defaults were stored have none: the defaults, within the caps.
        if (cpu == null || cpu.isEmpty()) {
            cpu = caps.defaultCpu();
        }
        if (memory == null || memory.isEmpty()) {
            memory = caps.defaultMemory();
        }
        int startupTimeout = spec.startupTimeout() == null || spec.startupTimeout() <= 0
                ? caps.defaultStartupTimeout() : spec.startupTimeout();
        if (!Quantities.isValid(cpu)) {
            throw ApiException.badRequest("invalid " + cpuField + ": " + cpu);
        }
        if (!Quantities.isValid(memory)) {
            throw ApiException.badRequest("invalid " + memoryField + ": " + memory);
        }
        if (ttl < 0) {
            throw ApiException.badRequest("ttl must be >= 0");
        }
        for (String name : env.keySet()) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]*") || name.startsWith("LITEBOXD_")) {
                throw ApiException.badRequest("invalid env name: " + name);
            }
        }
        refuse(caps.cpu(cpuField, cpu));
        refuse(caps.memory(memoryField, memory));
        refuse(caps.ttl(ttlField, ttl));
        refuse(caps.startupTimeout("template startupTimeout", startupTimeout));
        return new SandboxPlan(cpu, memory, ttl, env, startupTimeout);
    }

    private static void refuse(Optional<String> violation) {
        if (violation.isPresent()) {
            throw ApiException.badRequest(violation.get());
        }
    }
}
