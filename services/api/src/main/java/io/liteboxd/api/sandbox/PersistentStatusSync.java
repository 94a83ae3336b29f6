package io.liteboxd.api.sandbox;

import static io.liteboxd.common.kubernetes.SandboxContract.DELETION_REASON_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.PERSISTENT_LABEL;

import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.storage.TimeText;
import io.liteboxd.common.kubernetes.Annotations;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows persistent sandboxes: every event of their Deployment (and, through
 * {@link PersistentPodListener}, of one of their pods) turns
 * the cached pair into the row's state ({@link PersistentStatus}) plus a history row on a change.
 * A pod going away is a restart or a stop, never the end of the sandbox; only the Deployment's
 * disappearance is (docs/contract.md). The caches come through providers: they deliver their
 * events here, so they are built after this bean.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class PersistentStatusSync implements SandboxDeploymentListener {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentStatusSync.class);

    private final SandboxRepository sandboxes;
    private final StatusHistoryRepository history;
    private final Provider<SandboxDeploymentCache> deployments;
    private final Provider<SandboxPodCache> pods;
    private final TimeToRunning timeToRunning;

    PersistentStatusSync(SandboxRepository sandboxes, StatusHistoryRepository history,
                         Provider<SandboxDeploymentCache> deployments, Provider<SandboxPodCache> pods,
                         TimeToRunning timeToRunning) {
        this.timeToRunning = timeToRunning;
        this.sandboxes = sandboxes;
        this.history = history;
        this.deployments = deployments;
        this.pods = pods;
    }

    /** Whether a pod belongs to a persistent sandbox (followed here, not by {@link SandboxStatusSync}). */
    public static boolean isPersistent(V1Pod pod) {
        var labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(PERSISTENT_LABEL));
    }

    @Override
    public void onAdd(V1Deployment deployment) {
        observe(SandboxStatusSync.sandboxId(deployment));
    }

    @Override
    public void onUpdate(V1Deployment oldDeployment, V1Deployment newDeployment) {
        observe(SandboxStatusSync.sandboxId(newDeployment));
    }

    @Override
    public void onDelete(V1Deployment deployment, boolean finalStateUnknown) {
        String id = SandboxStatusSync.sandboxId(deployment);
        if (id == null) {
            return;
        }
        try {
            sandboxes.findById(id).filter(row -> !row.isDeleted())
                    .ifPresent(row -> markDeleted(row, Annotations.get(deployment, DELETION_REASON_ANNOTATION), "system"));
        } catch (RuntimeException e) {
            LOG.error("sandbox {}: recording the Deployment's deletion failed", id, e);
        }
    }

    /** Re-reads the sandbox from the caches (its Deployment or one of its pods changed). */
    void observe(String id) {
        if (id == null) {
            return;
        }
        try {
            // A row still creating is the API's to move first ("deployment created"); the events
            // that follow (scheduling, readiness) find it pending.
            sandboxes.findById(id).filter(row -> Sandbox.ACTIVE.equals(row.desiredState()) && row.isPersistent()
                            && !LifecycleStatus.CREATING.is(row.lifecycleStatus()))
                    .ifPresent(row -> sync(row, "system"));
        } catch (RuntimeException e) {
            // One bad event must not stop the informer's delivery thread.
            LOG.error("sandbox {}: recording the persistent sandbox's state failed", id, e);
        }
    }

    /** The cached Deployment of the sandbox, if it still exists. */
    public Optional<V1Deployment> deployment(String sandboxId) {
        return deployments.get().deployment(sandboxId);
    }

    /**
     * Copies what the Deployment and its best pod show into the row of a wanted persistent
     * sandbox, with a history row (from {@code source}) on a status change. Returns true if the
     * row was out of date and this call updated it; false too when the Deployment is not cached
     * (its deletion is recorded by {@link #onDelete(V1Deployment, boolean)} or the reconciler).
     */
    public boolean sync(Sandbox row, String source) {
        Optional<V1Deployment> deployment = deployment(row.id());
        if (deployment.isEmpty()) {
            return false;
        }
        V1Pod cached = pods.get().pod(row.id()).orElse(null);
        if (cached == null && !pods.get().synced()) {
            // A replica starting: its Deployment cache can fill before its pod cache, and "no pod"
            // would flip every running sandbox to pending until the pod's event came (seen for up
            // to 32 s in the hot-upgrade test). The pod cache's own events look again once it has.
            return false;
        }
        PersistentStatus observed = PersistentStatus.of(deployment.get(), cached);
        String status = observed.status().wire();
        String from = row.lifecycleStatus();
        Instant now = Instant.now();
        String at = TimeText.format(now);
        if (observed.status() == LifecycleStatus.STOPPED) {
            if (LifecycleStatus.STOPPED.is(from)) {
                return false;
            }
            Instant stoppedAt = observed.stoppedAt() != null ? observed.stoppedAt() : now;
            return record(sandboxes.stop(row.id(), from, observed.reason(), TimeText.format(stoppedAt), at), row,
                    source, status, observed.reason(), now);
        }
        V1Pod pod = observed.pod();
        String uid = pod == null ? "" : Objects.toString(pod.getMetadata().getUid(), "");
        String phase = pod == null || pod.getStatus() == null ? "" : Objects.toString(pod.getStatus().getPhase(), "");
        String ip = pod == null || pod.getStatus() == null ? "" : Objects.toString(pod.getStatus().getPodIP(), "");
        if (LifecycleStatus.STOPPED.is(from)) {
            // Started again (by the controller's wake, or a start whose row update was lost):
            // the Deployment's expires-at was moved by the time spent stopped.
            Instant expiresAt = observed.expiresAt() != null ? observed.expiresAt() : row.expiresAt();
            if (!record(sandboxes.resume(row.id(), status, observed.reason(), TimeText.format(expiresAt), at), row,
                    source, status, observed.reason(), now)) {
                return false;
            }
            from = status;
        }
        boolean changed = !status.equals(from);
        if (!changed && uid.equals(row.podUid()) && phase.equals(row.podPhase()) && ip.equals(row.podIp())) {
            return false;
        }
        String reason = changed ? observed.reason() : row.statusReason();
        if (sandboxes.observe(row.id(), from, status, reason, uid, phase, ip, at) == 0) {
            return false;
        }
        if (changed) {
            timeToRunning.moved(row, from, status, now);
            history.save(StatusHistory.of(row.id(), source, from, status, reason, now));
        }
        return true;
    }

    /** The Deployment is gone: the sandbox is deleted (its pods went with it). */
    public boolean markDeleted(Sandbox row, String deletionReason, String source) {
        String reason = deletionReason != null && !deletionReason.isEmpty() ? deletionReason
                : Sandbox.DELETED.equals(row.desiredState()) ? "delete completed" : "deployment deleted";
        Instant now = Instant.now();
        if (sandboxes.markDeleted(row.id(), reason, TimeText.format(now)) == 0) {
            return false;
        }
        String by = reason.equals("ttl expired") ? "ttl_cleaner" : source;
        history.save(StatusHistory.of(row.id(), by, row.lifecycleStatus(), LifecycleStatus.DELETED.wire(), reason, now));
        return true;
    }

    private boolean record(int updated, Sandbox row, String source, String status, String reason, Instant now) {
        if (updated == 0) {
            return false;
        }
        timeToRunning.moved(row, row.lifecycleStatus(), status, now);
        history.save(StatusHistory.of(row.id(), source, row.lifecycleStatus(), status, reason, now));
        return true;
    }
}
