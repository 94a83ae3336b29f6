package io.liteboxd.api.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * What a sandbox is made from (spec §6.1). The same keys are used in JSON, YAML and the
 * {@code template_versions.spec} column; empty optional fields are left out, {@code resources}
 * and {@code ttl} are always written. {@code runtimeClassName} is ours (upstream has none): the
 * RuntimeClass its sandboxes run under, e.g. {@code gvisor}; empty means the configured default.
 * {@code idleTimeout} is ours too: seconds without activity after which a persistent sandbox is
 * stopped (absent or 0 = never; only with {@code persistence.enabled}; docs/persistence.md).
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
        @Nullable Integer idleTimeout) {

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
}
