package io.liteboxd.api.pool;

import static io.liteboxd.common.kubernetes.SandboxContract.POOL_HASH;
import static io.liteboxd.common.kubernetes.SandboxContract.POOL_MISS_ANNOTATION;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import io.liteboxd.api.metrics.SandboxMetrics;
import io.liteboxd.api.sandbox.SandboxPools;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims pool pods for {@code POST /sandboxes} ({@link SandboxPools}): the Ready pods of the
 * template's pool with the create's own pod-template hash, in random order, each tried with
 * {@link PoolShape#claimPatch}, whose {@code test} lets exactly one caller have a pod (any other
 * API replica or thread gets 422 and tries the next). Random, not oldest first: in a burst every
 * caller would otherwise race for the same few pods and go cold while others stay unclaimed
 * (bench/pool.md). At most {@link #ATTEMPTS} pods, then the create goes cold.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class PoolClaims implements SandboxPools {

    private static final Logger LOG = LoggerFactory.getLogger(PoolClaims.class);
    private static final int ATTEMPTS = 5;

    private final PoolPodCache pods;
    private final PoolTemplates templates;
    private final CoreV1Api core;
    private final String namespace;

    private final SandboxMetrics metrics;

    PoolClaims(PoolPodCache pods, PoolTemplates templates, CoreV1Api core, SandboxSettings settings,
               SandboxMetrics metrics) {
        this.metrics = metrics;
        this.pods = pods;
        this.templates = templates;
        this.core = core;
        this.namespace = settings.namespace();
    }

    @Override
    public Optional<V1Pod> claim(String template, V1Pod pod, Instant now) {
        if (templates.get(template).isEmpty()) {
            return Optional.empty();
        }
        String hash = PoolShape.hash(pod);
        List<V1Pod> candidates = new ArrayList<>(pods.ready(template, hash));
        Collections.shuffle(candidates, ThreadLocalRandom.current());
        if (candidates.isEmpty()) {
            var others = pods.all(template).stream().map(p -> p.getMetadata().getLabels().get(POOL_HASH))
                    .filter(h -> !hash.equals(h)).distinct().toList();
            if (!others.isEmpty()) {
                // Overrides that change the pod, or another template version: a miss by design.
                LOG.info("pool {}: this create's pod (hash {}) differs from the pool's ({})", template, hash, others);
            }
        }
        String claimedAt = DateTimeFormatter.ISO_INSTANT.format(now);
        for (V1Pod candidate : candidates.subList(0, Math.min(ATTEMPTS, candidates.size()))) {
            String name = candidate.getMetadata().getName();
            V1Patch patch = new V1Patch(PoolShape.claimPatch(template, hash, pod, claimedAt));
            try {
                V1Pod claimed = PatchUtils.patch(V1Pod.class,
                        () -> core.patchNamespacedPod(name, namespace, patch).buildCall(null),
                        V1Patch.PATCH_FORMAT_JSON_PATCH, core.getApiClient());
                metrics.poolHit(template);
                return Optional.of(claimed);
            } catch (ApiException e) {
                if (e.getCode() == 422 || e.getCode() == 404 || e.getCode() == 409) {
                    // Another caller claimed it first (the test failed), or it is gone.
                    LOG.debug("pool {}: {} not claimed ({}), trying the next", template, name, e.getCode());
                } else {
                    LOG.warn("pool {}: claiming {} failed: {} {}", template, name, e.getCode(), e.getResponseBody());
                }
            }
        }
        pod.getMetadata().putAnnotationsItem(POOL_MISS_ANNOTATION, template);
        metrics.poolMiss(template);
        return Optional.empty();
    }
}
