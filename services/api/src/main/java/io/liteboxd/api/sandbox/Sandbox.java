package io.liteboxd.api.sandbox;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/**
 * A row of {@code sandboxes} (spec §18): what was asked for, what Kubernetes last showed, the
 * sealed access token, and the deletion bookkeeping. State changes go through the repository's
 * targeted updates; the row is inserted once, made with {@link #builder()}.
 */
@MappedEntity("sandboxes")
public record Sandbox(
        @Id String id,
        String templateName,
        int templateVersion,
        String image,
        String cpu,
        String memory,
        int ttl,
        String envJson,
        String desiredState,
        String lifecycleStatus,
        String statusReason,
        String clusterNamespace,
        String podName,
        String podUid,
        String podPhase,
        String podIp,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant lastSeenAt,
        String accessTokenCiphertext,
        String accessTokenNonce,
        String accessTokenKeyId,
        String accessTokenSha256,
        String accessUrl,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant createdAt,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant expiresAt,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant updatedAt,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant deletedAt,
        boolean persistenceEnabled,
        String persistenceMode,
        String persistenceSize,
        String storageClassName,
        String volumeClaimName,
        String volumeReclaimPolicy,
        String runtimeKind,
        String runtimeName,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant stoppedAt,
        String deletionPhase,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant deletionStartedAt,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant deletionLastAttemptAt,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant deletionNextRetryAt,
        int deletionAttempts,
        int deletionForceLevel,
        String deletionLastError) {

    public static final String ACTIVE = "active";

    public static SandboxBuilder builder() {
        return new SandboxBuilder();
    }

    public static final String DELETED = "deleted";

    /** The stored status as the enum ({@code UNKNOWN} for a value this version does not know). */
    public LifecycleStatus lifecycle() {
        return LifecycleStatus.of(lifecycleStatus).orElse(LifecycleStatus.UNKNOWN);
    }

    /** Upstream's public status (spec §10.2): what SDKs accept. */
    public String publicStatus() {
        return lifecycle().publicStatus();
    }

    /** A persistent sandbox: a Deployment and a PVC instead of a pod (docs/contract.md). */
    public boolean isPersistent() {
        return "deployment".equals(runtimeKind);
    }

    /** Gone for good: the row stays for metadata and history, but the sandbox is not found. */
    public boolean isDeleted() {
        return lifecycle() == LifecycleStatus.DELETED;
    }
}
