package io.liteboxd.api.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a sandbox is made from (spec §6.1). The same keys are used in JSON, YAML and the
 * {@code template_versions.spec} column; empty optional fields are left out, {@code resources}
 * and {@code ttl} are always written. {@code runtimeClassName} is ours (upstream has none): the
 * RuntimeClass its sandboxes run under, e.g. {@code gvisor}; empty means the configured default.
 * {@code idleTimeout} is ours too: seconds without activity after which a persistent sandbox is
 * stopped (absent or 0 = never; only with {@code persistence.enabled}; docs/persistence.md).
 * {@code pool} is ours: the warm pool's bounds, applied each time a version that carries it becomes
 * current (docs/pools.md); a version without it leaves the pool as the API last set it.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(requiredProperties = "image")
public record TemplateSpec(
        @Nullable String image,
        @Schema(description = "Replaces the image's ENTRYPOINT; it starts only once `files` are written and "
                + "`startupScript` has succeeded. Without it the image's entrypoint runs alongside them: wait for "
                + "the sandbox's `status: running`, reached only after both.")
        @Nullable List<String> command,
        @Nullable List<String> args,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Resources resources,
        @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Integer ttl,
        @Nullable Map<String, String> env,
        @Schema(description = "Run with `sh -c` in the sandbox after `files` are written and before `command` "
                + "starts; a non-zero exit fails the sandbox. Needs `sh` in the image.")
        @Nullable String startupScript,
        @Nullable Integer startupTimeout,
        @Nullable List<File> files,
        @Nullable ReadinessProbe readinessProbe,
        @Nullable Network network,
        @Nullable Persistence persistence,
        @Nullable String runtimeClassName,
        @Nullable Integer idleTimeout,
        @Schema(description = "Warm pool bounds (docs/pools.md): applied when this version becomes current; "
                + "`max` defaults to `min`. Not with `persistence.enabled`.")
        @Nullable Pool pool) {

    @Serdeable
    public record Resources(@Nullable String cpu, @Nullable String memory) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record File(@Nullable String source, @Nullable String destination, @Nullable String content) {}

    @Serdeable
    public record ReadinessProbe(@Nullable Exec exec, int initialDelaySeconds, int periodSeconds, int failureThreshold) {}

    @Serdeable
    public record Exec(@Nullable List<String> command) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Network(boolean allowInternetAccess, @Nullable List<String> allowedDomains) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Persistence(boolean enabled, @Nullable String mode, @Nullable String size,
                              @Nullable String storageClassName, @Nullable String reclaimPolicy) {}

    /** Ready pods to keep ({@code min}) and the most the controller may size up to ({@code max}). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Pool(@Nullable Integer min, @Nullable Integer max) {

        /** Most Ready pods one pool may keep: a pool is a latency tool, not capacity planning. */
        public static final int MAX_SIZE = 100;

        /** {@code max} when given, else {@code min}. */
        public int maxOrMin() {
            return max == null ? minOrZero() : max;
        }

        public int minOrZero() {
            return min == null ? 0 : min;
        }

        /** What is wrong with these bounds, if anything (the same rules for the YAML and the pool endpoint). */
        public Optional<String> problem() {
            if (min == null || min < 0) {
                return Optional.of("min is required and must be >= 0");
            }
            if (maxOrMin() < min || maxOrMin() > MAX_SIZE) {
                return Optional.of("max must be within min and " + MAX_SIZE);
            }
            return Optional.empty();
        }
    }
}
