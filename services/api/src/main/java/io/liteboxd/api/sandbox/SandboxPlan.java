package io.liteboxd.api.sandbox;

import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.kubernetes.Quantities;
import io.liteboxd.api.limits.SandboxCaps;
import io.liteboxd.api.template.TemplateSpec;
import io.micronaut.core.annotation.Nullable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a new sandbox gets: the template spec with the request's overrides applied (spec §3.1
 * step 3), checked against the caps. Pure: every 400 is decided here, before a row or a pod exists.
 * A value over a cap is refused whether it comes from the overrides or from the template (one
 * written before a cap was lowered), and the message names which ({@code overrides.cpu 64 exceeds
 * the maximum 2}, {@code template resources.cpu 4 exceeds the maximum 2}).
 * {@code volume} is null for an ephemeral sandbox; {@code idleTimeout} 0 means never.
 */
record SandboxPlan(String cpu, String memory, int ttl, Map<String, String> env, int startupTimeout,
                   @Nullable Volume volume, int idleTimeout) {

    /** A persistent sandbox's claim: size, StorageClass (empty = the cluster default), Delete or Retain. */
    record Volume(String size, String storageClassName, String reclaimPolicy) {}

    boolean persistent() {
        return volume != null;
    }

    static SandboxPlan of(TemplateSpec spec, SandboxViews.Overrides overrides, SandboxCaps caps) {
        boolean persistent = spec.persistence() != null && spec.persistence().enabled();
        Volume volume = persistent ? volume(spec.persistence()) : null;
        int idleTimeout = spec.idleTimeout() == null ? 0 : spec.idleTimeout();
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
                if (!persistent) {
                    throw ApiException.badRequest(
                            "persistence overrides are not allowed when template persistence is disabled");
                }
                volume = withSize(volume, overrides.persistence().get("size"));
            }
            if (overrides.idleTimeout() != null) {
                if (overrides.idleTimeout() < 0) {
                    throw ApiException.badRequest("overrides.idleTimeout must be >= 0");
                }
                if (overrides.idleTimeout() > 0 && !persistent) {
                    throw ApiException.badRequest(
                            "overrides.idleTimeout is only supported for persistence-enabled templates");
                }
                idleTimeout = overrides.idleTimeout();
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
        return new SandboxPlan(cpu, memory, ttl, env, startupTimeout, volume, idleTimeout);
    }

    /** The template's persistence with the defaults of templates stored before they were filled in. */
    private static Volume volume(TemplateSpec.Persistence p) {
        String size = p.size() == null || p.size().isBlank() ? "1Gi" : p.size().trim();
        String storageClass = p.storageClassName() == null ? "" : p.storageClassName().trim();
        String reclaim = "Retain".equals(p.reclaimPolicy()) ? "Retain" : "Delete";
        return new Volume(size, storageClass, reclaim);
    }

    private static Volume withSize(Volume volume, Object size) {
        if (size == null || String.valueOf(size).isBlank()) {
            return volume;
        }
        String text = String.valueOf(size).trim();
        if (!(size instanceof String) || !Quantities.isValid(text)) {
            throw ApiException.badRequest("invalid overrides.persistence.size: " + text);
        }
        return new Volume(text, volume.storageClassName(), volume.reclaimPolicy());
    }

    private static void refuse(Optional<String> violation) {
        if (violation.isPresent()) {
            throw ApiException.badRequest(violation.get());
        }
    }
}
