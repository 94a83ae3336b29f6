package io.liteboxd.api.sandbox;

import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.hardening.SandboxPodHardening;
import io.liteboxd.api.storage.TimeText;
import io.liteboxd.common.kubernetes.PersistentScale;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent sandbox's own operations (spec §3.1 step 8, §3.5): creating its Deployment and
 * claim, stop, start, restart and deleting the Deployment, with upstream's codes and messages.
 * Scaling goes through {@link PersistentScale} (the controller's idle suspend and wake use the
 * same patches); the Deployment is read from {@link SandboxDeploymentCache}; from there on
 * {@link PersistentStatusSync} follows what Kubernetes does.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class PersistentSandboxes {

    static final String STOPPED_BY_REQUEST = "stopped by request";
    private static final Logger LOG = LoggerFactory.getLogger(PersistentSandboxes.class);

    private static final Duration STOPPING_WAIT = Duration.ofSeconds(20);
    private static final Duration STOPPING_RECHECK = Duration.ofMillis(100);

    private final SandboxRepository sandboxes;
    private final StatusHistoryRepository history;
    private final AppsV1Api apps;
    private final CoreV1Api core;
    private final PersistentScale scale;
    private final SandboxPodHardening hardening;
    private final PersistentStatusSync status;
    private final SandboxPodCache pods;
    private final SandboxSettings settings;

    PersistentSandboxes(SandboxRepository sandboxes, StatusHistoryRepository history, AppsV1Api apps, CoreV1Api core,
                        PersistentScale scale, SandboxPodHardening hardening, PersistentStatusSync status,
                        SandboxPodCache pods, SandboxSettings settings) {
        this.settings = settings;
        this.sandboxes = sandboxes;
        this.history = history;
        this.apps = apps;
        this.core = core;
        this.scale = scale;
        this.hardening = hardening;
        this.status = status;
        this.pods = pods;
    }

    /**
     * The Deployment, then the claim (owned by the Deployment under reclaim {@code Delete}, so it
     * needs the Deployment's uid); a claim that cannot be made takes the Deployment with it. The
     * row is {@code pending} afterwards, or {@code failed} with the cluster's message (500).
     */
    void create(Sandbox row, SandboxPods.Plan podPlan, SandboxPlan plan) {
        String id = row.id();
        String namespace = row.clusterNamespace();
        V1Deployment deployment;
        try {
            deployment = apps.createNamespacedDeployment(namespace,
                    PersistentObjects.deployment(podPlan, hardening, plan.idleTimeout(), settings.launcherImage()))
                    .execute();
        } catch (io.kubernetes.client.openapi.ApiException e) {
            throw failed(id, SandboxService.kubernetesMessage(e));
        }
        try {
            core.createNamespacedPersistentVolumeClaim(namespace, PersistentObjects.claim(id, namespace, plan.volume(),
                    deployment.getMetadata().getUid())).execute();
        } catch (io.kubernetes.client.openapi.ApiException e) {
            String message = SandboxService.kubernetesMessage(e);
            try {
                deleteDeployment(row);
            } catch (io.kubernetes.client.openapi.ApiException cleanup) {
                LOG.warn("sandbox {}: removing the Deployment after the claim failed: HTTP {}", id, cleanup.getCode());
            }
            throw failed(id, message);
        }
        Instant at = Instant.now();
        if (sandboxes.observe(id, LifecycleStatus.CREATING.wire(), LifecycleStatus.PENDING.wire(), "deployment created",
                "", "", "", TimeText.format(at)) > 0) {
            history.save(StatusHistory.of(id, "api", LifecycleStatus.CREATING.wire(), LifecycleStatus.PENDING.wire(),
                    "deployment created", at));
        }
    }

    private ApiException failed(String id, String kubernetesMessage) {
        String reason = "failed to create persistent sandbox: " + kubernetesMessage;
        Instant at = Instant.now();
        sandboxes.setStatus(id, LifecycleStatus.FAILED.wire(), reason, TimeText.format(at));
        history.save(StatusHistory.of(id, "api", LifecycleStatus.CREATING.wire(), LifecycleStatus.FAILED.wire(), reason, at));
        LOG.warn("sandbox {}: {}", id, reason);
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, reason);
    }

    /** Deletes the Deployment; its pods follow, and under reclaim Delete its claim (ownerReference). */
    public void deleteDeployment(Sandbox row) throws io.kubernetes.client.openapi.ApiException {
        apps.deleteNamespacedDeployment(SandboxContract.deploymentName(row.id()), row.clusterNamespace())
                .body(new V1DeleteOptions().propagationPolicy("Background")).execute();
    }

    /** {@code POST /sandboxes/{id}/stop}: scale to 0; the TTL pauses until start. */
    Map<String, String> stop(String id) {
        Target target = target(id, "stop");
        if (LifecycleStatus.STOPPED.is(target.row().lifecycleStatus())) {
            throw new ApiException(HttpStatus.CONFLICT, "sandbox is already stopped");
        }
        if (LifecycleStatus.TERMINATING.is(target.row().lifecycleStatus())) {
            throw new ApiException(HttpStatus.CONFLICT, "sandbox cannot be stopped in its current state");
        }
        Instant now = now();
        try {
            scale.stop(target.namespace(), target.name(), now, STOPPED_BY_REQUEST);
        } catch (io.kubernetes.client.openapi.ApiException e) {
            throw kubernetesFailure(id, "stop", e);
        }
        if (sandboxes.stop(id, target.row().lifecycleStatus(), STOPPED_BY_REQUEST, TimeText.format(now),
                TimeText.format(now)) > 0) {
            history.save(StatusHistory.of(id, "api", target.row().lifecycleStatus(), LifecycleStatus.STOPPED.wire(),
                    STOPPED_BY_REQUEST, now));
        }
        return Map.of("message", "stop requested");
    }

    /** {@code POST /sandboxes/{id}/start}: scale to 1 and move the expiry by the time spent stopped. */
    Map<String, String> start(String id) {
        Target target = target(id, "start");
        Sandbox row = target.row();
        if (!LifecycleStatus.STOPPED.is(row.lifecycleStatus())) {
            throw new ApiException(HttpStatus.CONFLICT, "sandbox is not stopped");
        }
        awaitLastPodGone(id);
        Instant now = now();
        Instant expiresAt = row.ttl() == 0 || row.stoppedAt() == null || now.isBefore(row.stoppedAt())
                ? row.expiresAt() : row.expiresAt().plus(Duration.between(row.stoppedAt(), now));
        // The row first: the Deployment's informer event would otherwise record the start as its own.
        if (sandboxes.resume(id, LifecycleStatus.PENDING.wire(), "start requested", TimeText.format(expiresAt),
                TimeText.format(now)) == 0) {
            throw new ApiException(HttpStatus.CONFLICT, "sandbox is not stopped");
        }
        history.save(StatusHistory.of(id, "api", LifecycleStatus.STOPPED.wire(), LifecycleStatus.PENDING.wire(),
                "start requested", now));
        try {
            // The cached Deployment may predate the stop by a few milliseconds: the row knows when it stopped.
            Map<String, String> annotations = new HashMap<>(target.deployment().getMetadata().getAnnotations() == null
                    ? Map.of() : target.deployment().getMetadata().getAnnotations());
            if (row.stoppedAt() != null) {
                annotations.putIfAbsent(SandboxContract.STOPPED_AT_ANNOTATION, row.stoppedAt().toString());
            }
            scale.start(target.namespace(), target.name(), annotations, now);
        } catch (io.kubernetes.client.openapi.ApiException e) {
            // Still stopped: the row says so again, with its old stop time and expiry.
            Instant at = Instant.now();
            if (sandboxes.stop(id, LifecycleStatus.PENDING.wire(), row.statusReason(),
                    TimeText.format(row.stoppedAt() == null ? now : row.stoppedAt()), TimeText.format(at)) > 0) {
                sandboxes.restoreExpiry(id, TimeText.format(row.expiresAt()), TimeText.format(at));
                history.save(StatusHistory.of(id, "api", LifecycleStatus.PENDING.wire(), LifecycleStatus.STOPPED.wire(),
                        "start failed", at));
            }
            throw kubernetesFailure(id, "start", e);
        }
        return Map.of("message", "start requested");
    }

    /**
     * A start right after a stop (an SDK's {@code stop(); start()}) finds the last pod still
     * terminating; its ReplicaSet does not count that pod and would run the new one beside it on
     * the same ReadWriteOnce claim. So start waits, on the informer's cache, for it to be gone:
     * sandbox pods have a 5 s grace period, {@link #STOPPING_WAIT} leaves room for a busy node.
     */
    private void awaitLastPodGone(String id) {
        Instant deadline = Instant.now().plus(STOPPING_WAIT);
        while (!pods.pods(id).isEmpty()) {
            if (Instant.now().isAfter(deadline)) {
                throw new ApiException(HttpStatus.CONFLICT, "sandbox is still stopping: its pod has not exited yet");
            }
            try {
                Thread.sleep(STOPPING_RECHECK);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "interrupted");
            }
        }
    }

    /** {@code POST /sandboxes/{id}/restart}: delete the current pod; the Deployment makes a new one. */
    Map<String, String> restart(String id) {
        Target target = target(id, "restart");
        Sandbox row = target.row();
        if (LifecycleStatus.TERMINATING.is(row.lifecycleStatus()) || LifecycleStatus.STOPPED.is(row.lifecycleStatus())) {
            throw new ApiException(HttpStatus.CONFLICT, "sandbox is terminating or deleted");
        }
        // The row first, as for start: the pod's deletion event then finds it pending already.
        Instant now = now();
        if (sandboxes.transition(id, row.lifecycleStatus(), LifecycleStatus.PENDING.wire(), "restart requested",
                TimeText.format(now)) > 0) {
            history.save(StatusHistory.of(id, "api", row.lifecycleStatus(), LifecycleStatus.PENDING.wire(),
                    "restart requested", now));
        }
        for (V1Pod pod : pods.pods(id)) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            try {
                core.deleteNamespacedPod(pod.getMetadata().getName(), pod.getMetadata().getNamespace()).execute();
            } catch (io.kubernetes.client.openapi.ApiException e) {
                if (e.getCode() != HttpStatus.NOT_FOUND.getCode()) {
                    // The next pod event, or the reconciler, puts the row back to what the pod shows.
                    throw kubernetesFailure(id, "restart", e);
                }
            }
        }
        return Map.of("message", "restart requested");
    }

    private record Target(Sandbox row, V1Deployment deployment) {
        String namespace() {
            return deployment.getMetadata().getNamespace();
        }

        String name() {
            return deployment.getMetadata().getName();
        }
    }

    /** Upstream's order: 404 for no (live) sandbox, 400 for an ephemeral one, 404 without its Deployment. */
    private Target target(String id, String action) {
        Sandbox row = sandboxes.findById(id)
                .filter(s -> !s.isDeleted() && !Sandbox.DELETED.equals(s.desiredState()))
                .orElseThrow(() -> ApiException.notFound("sandbox not found"));
        if (!row.isPersistent()) {
            throw ApiException.badRequest("sandbox " + action + " is only supported for persistence-enabled sandboxes");
        }
        V1Deployment deployment = status.deployment(id).orElseThrow(() -> ApiException.notFound("sandbox not found"));
        return new Target(row, deployment);
    }

    private static ApiException kubernetesFailure(String id, String action, io.kubernetes.client.openapi.ApiException e) {
        LOG.warn("sandbox {}: {} failed: {}", id, action, SandboxService.kubernetesMessage(e));
        if (e.getCode() == HttpStatus.NOT_FOUND.getCode()) {
            return ApiException.notFound("sandbox not found");
        }
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "failed to " + action + " sandbox");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
