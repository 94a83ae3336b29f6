package io.liteboxd.api.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the sandbox routes; the mixed casing is upstream's (spec §10.1). */
final class SandboxViews {

    private SandboxViews() {}

    @Serdeable
    @Schema(requiredProperties = "template")
    record CreateRequest(@Nullable String template, @Nullable Integer templateVersion, @Nullable Overrides overrides) {}

    @Serdeable
    record Overrides(@Nullable String cpu, @Nullable String memory, @Nullable Integer ttl,
                     @Nullable Map<String, String> env, @Nullable Map<String, Object> persistence,
                     @Schema(description = "Ours: seconds without activity before a persistent sandbox is stopped "
                             + "(0 = never); persistence-enabled templates only")
                     @Nullable Integer idleTimeout) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    @Schema(name = "Sandbox")
    record SandboxView(
            @JsonInclude(JsonInclude.Include.ALWAYS) String id,
            @JsonInclude(JsonInclude.Include.ALWAYS) String image,
            @JsonInclude(JsonInclude.Include.ALWAYS) String cpu,
            @JsonInclude(JsonInclude.Include.ALWAYS) String memory,
            @JsonInclude(JsonInclude.Include.ALWAYS) int ttl,
            @Nullable Map<String, String> env,
            @JsonInclude(JsonInclude.Include.ALWAYS) String status,
            @Nullable String template,
            @Nullable Integer templateVersion,
            @Nullable @JsonProperty("desired_state") String desiredState,
            @Nullable @JsonProperty("lifecycle_status") String lifecycleStatus,
            @Nullable @JsonProperty("status_reason") String statusReason,
            @Nullable @JsonProperty("pod_phase") String podPhase,
            @Nullable @JsonProperty("pod_ip") String podIp,
            @Nullable @JsonProperty("last_seen_at") Instant lastSeenAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("created_at") Instant createdAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("expires_at") Instant expiresAt,
            @JsonInclude(JsonInclude.Include.ALWAYS) @JsonProperty("updated_at") Instant updatedAt,
            @Nullable @JsonProperty("deleted_at") Instant deletedAt,
            @Nullable Persistence persistence,
            @Nullable Deletion deletion,
            @Nullable String runtimeKind,
            @Nullable String runtimeName,
            @Nullable String accessToken,
            @Nullable String accessUrl,
            @Schema(description = "Host mode only: the sandbox's own origin per port, e.g. "
                    + "https://{port}-abcd1234.sbx.example.com; replace {port}. Absent when host mode is off.")
            @Nullable String accessUrlTemplate) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Deletion(@Nullable String phase, @Nullable Instant startedAt, @Nullable Instant lastAttemptAt,
                    @Nullable Instant nextRetryAt, @Nullable Integer attempts, @Nullable Integer forceLevel,
                    @Nullable String lastError) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Persistence(boolean enabled, @Nullable String mode, @Nullable String size,
                       @Nullable String storageClassName, @Nullable String reclaimPolicy,
                       @Nullable String volumeClaimName) {}

    @Serdeable
    record SandboxList(List<SandboxView> items) {}

    @Serdeable
    record SandboxPage(List<SandboxView> items, long total, int page, @JsonProperty("page_size") int pageSize) {}

    /** The API view of a row; {@code token} only for create and get-by-id. */
    static SandboxView of(Sandbox s, @Nullable String token, SandboxUrlTemplate urls, JsonMapper json) {
        Deletion deletion = s.deletionPhase().isEmpty() && s.deletionStartedAt() == null && s.deletionAttempts() == 0
                ? null
                : new Deletion(s.deletionPhase(), s.deletionStartedAt(), s.deletionLastAttemptAt(),
                        s.deletionNextRetryAt(), s.deletionAttempts(), s.deletionForceLevel(), s.deletionLastError());
        // Present when any persistence column is set (spec §10.1).
        Persistence persistence = !s.persistenceEnabled() && s.persistenceMode().isEmpty()
                && s.volumeClaimName().isEmpty()
                ? null
                : new Persistence(s.persistenceEnabled(), s.persistenceMode(), s.persistenceSize(),
                        s.storageClassName(), s.volumeReclaimPolicy(), s.volumeClaimName());
        return new SandboxView(s.id(), s.image(), s.cpu(), s.memory(), s.ttl(), env(s.envJson(), json), s.publicStatus(),
                s.templateName(), s.templateVersion(), s.desiredState(), s.lifecycleStatus(), s.statusReason(),
                s.podPhase(), s.podIp(), s.lastSeenAt(), s.createdAt(), s.expiresAt(), s.updatedAt(), s.deletedAt(),
                persistence, deletion, s.runtimeKind(), s.runtimeName(), token, s.accessUrl(), urls.forSandbox(s.id()));
    }

    private static Map<String, String> env(String envJson, JsonMapper json) {
        try {
            return envJson == null || envJson.isBlank() ? Map.of()
                    : json.readValue(envJson, Argument.mapOf(String.class, String.class));
        } catch (IOException e) {
            return Map.of();
        }
    }

    @Serdeable
    record HistoryItem(long id, @JsonProperty("sandbox_id") String sandboxId, String source,
                       @JsonProperty("from_status") String fromStatus, @JsonProperty("to_status") String toStatus,
                       String reason, @JsonProperty("payload_json") String payloadJson,
                       @JsonProperty("created_at") Instant createdAt) {}

    @Serdeable
    record HistoryList(List<HistoryItem> items) {}
}
