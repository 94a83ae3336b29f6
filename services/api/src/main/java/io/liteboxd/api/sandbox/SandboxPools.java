package io.liteboxd.api.sandbox;

import io.kubernetes.client.openapi.models.V1Pod;
import java.time.Instant;
import java.util.Optional;

/**
 * Where {@link SandboxService#create} takes a Ready pod from a template's warm pool
 * (io.liteboxd.api.pool; docs/contract.md, Warm pools).
 */
public interface SandboxPools {

    /**
     * Claims a Ready pool pod of {@code template} that matches {@code pod} (the pod a cold create
     * would make) exactly, giving it {@code pod}'s identity; empty when there is none (no pool, no
     * Ready pod, different overrides). When the template has a pool but nothing could be claimed,
     * {@code pod} (the caller's own object) gets the pool-miss annotation for the cold create.
     */
    Optional<V1Pod> claim(String template, V1Pod pod, Instant now);
}
