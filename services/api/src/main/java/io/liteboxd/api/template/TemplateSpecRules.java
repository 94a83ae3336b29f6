package io.liteboxd.api.template;

import io.liteboxd.api.kubernetes.Quantities;
import io.liteboxd.api.limits.SandboxCaps;
import io.liteboxd.api.runtime.RuntimeClassNames;
import io.liteboxd.api.template.TemplateSpec.Network;
import io.liteboxd.api.template.TemplateSpec.Persistence;
import io.liteboxd.api.template.TemplateSpec.Resources;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Template names and specs: upstream's validation and defaults (spec §6.3), plus the checks it
 * lacked (resource quantities, negative ttl and probe values, reserved names) and the caps of
 * {@link SandboxCaps} (cpu, memory, ttl, startup timeout) and the syntax of {@code runtimeClassName},
 * all as {@code INVALID_REQUEST} before anything is written. Whether the cluster has that
 * RuntimeClass is {@link TemplateService}'s check (it needs the cluster).
 */
final class TemplateSpecRules {

    private static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$");
    /** {@code GET/POST /templates/export|import} are routes, so templates of these names would be unreachable. */
    private static final Set<String> RESERVED_NAMES = Set.of("export", "import");

    private TemplateSpecRules() {}

    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 63) {
            throw TemplateException.invalid("invalid name: name must be between 1 and 63 characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw TemplateException.invalid("invalid name: name must consist of lowercase letters, numbers, "
                    + "and hyphens, and must start and end with a letter or number");
        }
        if (RESERVED_NAMES.contains(name)) {
            throw TemplateException.invalid("invalid name: '" + name + "' is reserved");
        }
    }

    /**
     * Validates {@code spec} against the rules and {@code caps} and returns it with upstream's
     * defaults filled in (lowered to the caps where these are smaller).
     */
    static TemplateSpec normalize(TemplateSpec spec, SandboxCaps caps) {
        if (spec == null) {
            throw TemplateException.invalid("spec is required");
        }
        if (spec.image() == null || spec.image().isBlank()) {
            throw invalidSpec("image is required");
        }
        Resources given = spec.resources() == null ? new Resources(null, null) : spec.resources();
        String cpu = given.cpu() == null || given.cpu().isEmpty() ? caps.defaultCpu() : given.cpu();
        String memory = given.memory() == null || given.memory().isEmpty() ? caps.defaultMemory() : given.memory();
        if (!Quantities.isValid(cpu)) {
            throw invalidSpec("resources.cpu is not a valid quantity: " + cpu);
        }
        if (!Quantities.isValid(memory)) {
            throw invalidSpec("resources.memory is not a valid quantity: " + memory);
        }
        int ttl = spec.ttl() == null ? 0 : spec.ttl();
        if (ttl < 0) {
            throw invalidSpec("ttl must be >= 0");
        }
        int startupTimeout = spec.startupTimeout() == null || spec.startupTimeout() == 0
                ? caps.defaultStartupTimeout() : spec.startupTimeout();
        if (startupTimeout < 0) {
            throw invalidSpec("startupTimeout must be >= 0");
        }
        checkCaps(cpu, memory, ttl, startupTimeout, caps);
        if (spec.readinessProbe() != null) {
            var probe = spec.readinessProbe();
            if (probe.exec() == null || probe.exec().command() == null || probe.exec().command().isEmpty()) {
                throw invalidSpec("readinessProbe.exec.command is required");
            }
            if (probe.initialDelaySeconds() < 0 || probe.periodSeconds() < 0 || probe.failureThreshold() < 0) {
                throw invalidSpec("readinessProbe values must be >= 0");
            }
        }
        if (spec.files() != null) {
            for (var file : spec.files()) {
                if (file.destination() == null || !file.destination().startsWith("/")) {
                    throw invalidSpec("files[].destination must be an absolute path");
                }
            }
        }
        String runtimeClass = spec.runtimeClassName() == null ? null : spec.runtimeClassName().trim();
        if (runtimeClass != null && !runtimeClass.isEmpty() && !RuntimeClassNames.isValid(runtimeClass)) {
            throw invalidSpec("runtimeClassName is not a valid name: " + runtimeClass);
        }
        Persistence persistence = normalizePersistence(spec.persistence());
        int idleTimeout = spec.idleTimeout() == null ? 0 : spec.idleTimeout();
        if (idleTimeout < 0) {
            throw invalidSpec("idleTimeout must be >= 0");
        }
        if (idleTimeout > 0 && (persistence == null || !persistence.enabled())) {
            // Only a persistent sandbox can be stopped and woken again; an ephemeral one would be lost.
            throw invalidSpec("idleTimeout requires persistence.enabled");
        }
        TemplateSpec.Pool pool = spec.pool();
        if (pool != null) {
            pool.problem().ifPresent(problem -> {
                throw invalidSpec("pool." + problem);
            });
            if (persistence != null && persistence.enabled()) {
                // A pool pod has no volume of its own to keep; persistent sandboxes always start cold.
                throw invalidSpec("pool cannot be combined with persistence.enabled");
            }
            pool = new TemplateSpec.Pool(pool.minOrZero(), pool.maxOrMin());
        }
        return new TemplateSpec(spec.image().trim(), spec.command(), spec.args(), new Resources(cpu, memory), ttl,
                spec.env(), spec.startupScript(), startupTimeout, spec.files(), spec.readinessProbe(),
                normalizeNetwork(spec.network()), persistence,
                runtimeClass == null || runtimeClass.isEmpty() ? null : runtimeClass,
                idleTimeout == 0 ? null : idleTimeout, pool);
    }

    /**
     * The caps alone, for a spec stored earlier (rollback copies one into a new version): a
     * version written before a cap was lowered cannot become the latest again. Values the stored
     * spec lacks are not checked (sandbox creation fills in defaults within the caps).
     */
    static void checkCaps(TemplateSpec spec, SandboxCaps caps) {
        Resources resources = spec.resources() == null ? new Resources(null, null) : spec.resources();
        checkCaps(Quantities.isValid(resources.cpu()) ? resources.cpu() : null,
                Quantities.isValid(resources.memory()) ? resources.memory() : null,
                spec.ttl() == null || spec.ttl() < 0 ? null : spec.ttl(),
                spec.startupTimeout() == null ? null : spec.startupTimeout(), caps);
    }

    private static void checkCaps(String cpu, String memory, Integer ttl, Integer startupTimeout, SandboxCaps caps) {
        if (cpu != null) {
            refuse(caps.cpu("resources.cpu", cpu));
        }
        if (memory != null) {
            refuse(caps.memory("resources.memory", memory));
        }
        if (ttl != null) {
            refuse(caps.ttl("ttl", ttl));
        }
        if (startupTimeout != null) {
            refuse(caps.startupTimeout("startupTimeout", startupTimeout));
        }
    }

    private static void refuse(Optional<String> violation) {
        if (violation.isPresent()) {
            throw invalidSpec(violation.get());
        }
    }

    private static Persistence normalizePersistence(Persistence p) {
        if (p == null) {
            return null;
        }
        String reclaim = p.reclaimPolicy() == null || p.reclaimPolicy().isEmpty() ? "Delete" : p.reclaimPolicy();
        if (!p.enabled()) {
            return new Persistence(false, p.mode(), p.size(), p.storageClassName(), reclaim);
        }
        String mode = p.mode() == null || p.mode().isEmpty() ? "rootfs-overlay" : p.mode();
        if (!mode.equals("rootfs-overlay")) {
            throw invalidSpec("persistence.mode must be \"rootfs-overlay\"");
        }
        String size = p.size() == null || p.size().trim().isEmpty() ? "1Gi" : p.size().trim();
        if (!Quantities.isValid(size)) {
            throw invalidSpec("persistence.size is not a valid quantity: " + size);
        }
        // Unlike upstream, empty means the cluster's default StorageClass, and local-path is
        // accepted: upstream refused it for its overlay helper, which we do not have
        // (docs/persistence.md). A name that is no StorageClass leaves the PVC Pending.
        String storageClass = p.storageClassName() == null ? "" : p.storageClassName().trim();
        if (!storageClass.isEmpty() && !RuntimeClassNames.isValid(storageClass)) { // same DNS-1123 subdomain rule
            throw invalidSpec("persistence.storageClassName is not a valid name: " + storageClass);
        }
        if (!reclaim.equals("Delete") && !reclaim.equals("Retain")) {
            throw invalidSpec("persistence.reclaimPolicy must be Delete or Retain");
        }
        return new Persistence(true, mode, size, storageClass, reclaim);
    }

    static Network normalizeNetwork(Network network) {
        if (network == null || network.allowedDomains() == null) {
            return network;
        }
        try {
            return new Network(network.allowInternetAccess(), AllowedDomainRules.normalize(network.allowedDomains()));
        } catch (IllegalArgumentException e) {
            throw invalidSpec(e.getMessage());
        }
    }

    private static TemplateException invalidSpec(String message) {
        return TemplateException.invalid("invalid spec: " + message);
    }
}
