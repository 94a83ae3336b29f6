package io.liteboxd.api.sandbox;

import java.time.Instant;

/**
 * Builds a {@link Sandbox} row by name instead of 42 positional arguments. Only what a new row
 * needs has to be set; the observation, persistence and deletion bookkeeping start empty, as
 * the schema's defaults do (spec §18), and the repository's targeted updates fill them later.
 */
public final class SandboxBuilder {

    private String id;
    private String templateName;
    private int templateVersion;
    private String image;
    private String cpu;
    private String memory;
    private int ttl;
    private String envJson = "{}";
    private String desiredState = Sandbox.ACTIVE;
    private String lifecycleStatus = LifecycleStatus.CREATING.wire();
    private String statusReason = "";
    private String clusterNamespace;
    private String podName;
    private String accessTokenCiphertext;
    private String accessTokenNonce;
    private String accessTokenKeyId;
    private String accessTokenSha256;
    private String accessUrl;
    private Instant createdAt;
    private Instant expiresAt;
    private Instant deletedAt;
    private String volumeClaimName = "";
    private String volumeReclaimPolicy = "";
    private String persistenceMode = "";
    private String persistenceSize = "";
    private String storageClassName = "";
    private String runtimeKind = "pod";
    private String deletionPhase = "";

    SandboxBuilder() {}

    public SandboxBuilder id(String value) {
        id = value;
        return this;
    }

    public SandboxBuilder template(String name, int version) {
        templateName = name;
        templateVersion = version;
        return this;
    }

    public SandboxBuilder image(String value) {
        image = value;
        return this;
    }

    public SandboxBuilder resources(String cpuLimit, String memoryLimit) {
        cpu = cpuLimit;
        memory = memoryLimit;
        return this;
    }

    /** Seconds; 0 never expires. */
    public SandboxBuilder ttl(int seconds) {
        ttl = seconds;
        return this;
    }

    public SandboxBuilder envJson(String value) {
        envJson = value;
        return this;
    }

    public SandboxBuilder state(String desired, LifecycleStatus lifecycle) {
        desiredState = desired;
        lifecycleStatus = lifecycle.wire();
        return this;
    }

    /** The namespace and the pod ({@code SandboxContract.podName(id)}) that run it. */
    public SandboxBuilder pod(String namespace, String name) {
        clusterNamespace = namespace;
        podName = name;
        return this;
    }

    /** The token sealed by {@link TokenCipher} and its SHA-256 (what the pod carries). */
    public SandboxBuilder token(String ciphertext, String nonce, String keyId, String sha256) {
        accessTokenCiphertext = ciphertext;
        accessTokenNonce = nonce;
        accessTokenKeyId = keyId;
        accessTokenSha256 = sha256;
        return this;
    }

    public SandboxBuilder accessUrl(String value) {
        accessUrl = value;
        return this;
    }

    public SandboxBuilder times(Instant created, Instant expires) {
        createdAt = created;
        expiresAt = expires;
        return this;
    }

    /** For rows that tests or migrations write in a later state. */
    public SandboxBuilder deleted(Instant at, String phase) {
        deletedAt = at;
        deletionPhase = phase;
        return this;
    }

    public SandboxBuilder volume(String claimName, String reclaimPolicy) {
        volumeClaimName = claimName;
        volumeReclaimPolicy = reclaimPolicy;
        return this;
    }

    /**
     * A persistent sandbox (spec §3.1 step 7): runtime kind {@code deployment}, its claim and
     * the persistence columns; the claim name is set by {@link #volume}.
     */
    public SandboxBuilder persistent(String mode, String size, String storageClass) {
        runtimeKind = "deployment";
        persistenceMode = mode;
        persistenceSize = size;
        storageClassName = storageClass;
        return this;
    }

    public Sandbox build() {
        return new Sandbox(id, templateName, templateVersion, image, cpu, memory, ttl, envJson, desiredState,
                lifecycleStatus, statusReason, clusterNamespace, podName, "", "", "", null,
                accessTokenCiphertext, accessTokenNonce, accessTokenKeyId, accessTokenSha256, accessUrl,
                createdAt, expiresAt, createdAt, deletedAt,
                !volumeClaimName.isEmpty(), persistenceMode, persistenceSize, storageClassName, volumeClaimName,
                volumeReclaimPolicy, runtimeKind, podName, null,
                deletionPhase, null, null, null, 0, 0, "");
    }
}
