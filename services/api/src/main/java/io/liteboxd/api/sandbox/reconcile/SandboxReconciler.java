package io.liteboxd.api.sandbox.reconcile;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.auth.Secrets;
import io.liteboxd.api.sandbox.LifecycleStatus;
import io.liteboxd.api.sandbox.PersistentSandboxes;
import io.liteboxd.api.sandbox.PersistentStatusSync;
import io.liteboxd.api.sandbox.Sandbox;
import io.liteboxd.api.sandbox.SandboxDeploymentCache;
import io.liteboxd.api.sandbox.SandboxRepository;
import io.liteboxd.api.sandbox.SandboxPodCache;
import io.liteboxd.api.sandbox.SandboxStatusSync;
import io.liteboxd.api.sandbox.StatusHistory;
import io.liteboxd.api.sandbox.StatusHistoryRepository;
import io.liteboxd.api.storage.TimeText;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox reconciler (spec §5.4, §17.1 for ephemeral sandboxes): compares every row not yet
 * deleted with the pod informer's cache, repairs what the event stream missed (for example
 * while the API was down) and records each drift as an item of a run. It reads only the cache;
 * the only calls to the API server are repairs (deleting a pod a deleted sandbox left behind).
 *
 * <p>Differences from upstream: the pod status is derived with the same rules as the informer
 * (readiness and startup failures included), so a run never overwrites a readiness verdict;
 * every status change gets a history row; a deleted sandbox's leftover pod is deleted again.
 *
 * <p>Persistent sandboxes are compared with their Deployment ({@link SandboxDeploymentCache}),
 * not with a pod: their pods come and go (restart, stop) and belong to the Deployment. A wanted
 * row without its Deployment is treated as an ephemeral row without its pod; a deleted row's
 * Deployment still there is deleted again; the row follows what {@link PersistentStatusSync}
 * reads from the Deployment and its pod (stopped included).
 */
@Singleton
@Requires(beans = SandboxPodCache.class)
public class SandboxReconciler {

    public static final String MISSING_IN_K8S = "missing_in_k8s";
    public static final String MISSING_IN_DB = "missing_in_db";
    public static final String STATUS_MISMATCH = "status_mismatch";

    private static final Logger LOG = LoggerFactory.getLogger(SandboxReconciler.class);

    private final SandboxRepository sandboxes;
    private final StatusHistoryRepository history;
    private final ReconcileRunRepository runs;
    private final ReconcileItemRepository items;
    private final SandboxStatusSync statusSync;
    private final SandboxPodCache cache;
    private final SandboxDeploymentCache deployments;
    private final PersistentStatusSync persistentSync;
    private final PersistentSandboxes persistent;
    private final CoreV1Api core;
    private final ReconcileSettings settings;
    /** One run at a time: a manual trigger waits for a scheduled run instead of racing it. */
    private final ReentrantLock running = new ReentrantLock();

    SandboxReconciler(SandboxRepository sandboxes, StatusHistoryRepository history, ReconcileRunRepository runs,
                      ReconcileItemRepository items, SandboxStatusSync statusSync, SandboxPodCache cache,
                      SandboxDeploymentCache deployments, PersistentStatusSync persistentSync,
                      PersistentSandboxes persistent, CoreV1Api core, ReconcileSettings settings) {
        this.deployments = deployments;
        this.persistentSync = persistentSync;
        this.persistent = persistent;
        this.sandboxes = sandboxes;
        this.history = history;
        this.runs = runs;
        this.items = items;
        this.statusSync = statusSync;
        this.cache = cache;
        this.core = core;
        this.settings = settings;
    }

    /** A finished run and its items. */
    public record Result(ReconcileRun run, List<ReconcileItem> items) {}

    /** Runs one full pass; the run row is written even when the pass fails. */
    public Result run(String trigger) {
        running.lock();
        try {
            Instant started = now();
            ReconcileRun run = runs.save(new ReconcileRun("rec-" + Secrets.randomHex(4), trigger, started, null,
                    0, 0, 0, 0, "running", ""));
            Pass pass = new Pass(run.id());
            try {
                pass.compare();
                run = runs.update(run.finish(pass.totalDb, pass.totalK8s, pass.found.size(), pass.fixed,
                        "completed", "", now()));
            } catch (RuntimeException e) {
                LOG.error("reconcile run {} failed", run.id(), e);
                run = runs.update(run.finish(pass.totalDb, pass.totalK8s, pass.found.size(), pass.fixed,
                        "failed", String.valueOf(e.getMessage()), now()));
            }
            // One insert each: xerial's driver returns no generated keys for a batch.
            List<ReconcileItem> saved = pass.found.stream().map(items::save).toList();
            if (!saved.isEmpty()) {
                LOG.info("reconcile run {} ({}): {} drift(s), {} fixed", run.id(), trigger, saved.size(), run.fixedCount());
            }
            return new Result(run, saved);
        } finally {
            running.unlock();
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The state of one pass. */
    private final class Pass {
        private final String runId;
        private final List<ReconcileItem> found = new ArrayList<>();
        private int totalDb;
        private int totalK8s;
        private int fixed;

        Pass(String runId) {
            this.runId = runId;
        }

        void compare() {
            Map<String, V1Pod> podsById = new HashMap<>();
            for (V1Pod pod : cache.pods()) {
                String id = SandboxStatusSync.sandboxId(pod);
                // A persistent sandbox's pods are its Deployment's; the Deployment is compared.
                if (id != null && !PersistentStatusSync.isPersistent(pod)) {
                    podsById.put(id, pod);
                }
            }
            Map<String, V1Deployment> deploymentsById = new HashMap<>();
            for (V1Deployment deployment : deployments.deployments()) {
                String id = SandboxStatusSync.sandboxId(deployment);
                if (id != null) {
                    deploymentsById.put(id, deployment);
                }
            }
            totalK8s = podsById.size() + deploymentsById.size();
            List<Sandbox> rows = sandboxes.listUndeleted();
            totalDb = rows.size();
            for (Sandbox row : rows) {
                if (row.isPersistent()) {
                    persistentRow(row, deploymentsById.remove(row.id()));
                    continue;
                }
                V1Pod pod = podsById.remove(row.id());
                if (Sandbox.DELETED.equals(row.desiredState())) {
                    deleted(row, pod);
                } else if (pod == null) {
                    missing(row);
                } else {
                    present(row, pod);
                }
            }
            // Pods left over belong to no row that is still alive.
            for (var entry : podsById.entrySet()) {
                var row = sandboxes.findById(entry.getKey());
                if (row.isPresent()) {
                    deleted(row.get(), entry.getValue());
                } else {
                    item(entry.getKey(), MISSING_IN_DB, "alert_only",
                            "pod " + entry.getValue().getMetadata().getName() + " has no sandbox record");
                }
            }
            // Deployments left over belong to no row that is still alive.
            for (var entry : deploymentsById.entrySet()) {
                var row = sandboxes.findById(entry.getKey());
                if (row.isPresent()) {
                    persistentDeleted(row.get(), entry.getValue());
                } else {
                    item(entry.getKey(), MISSING_IN_DB, "alert_only",
                            "deployment " + entry.getValue().getMetadata().getName() + " has no sandbox record");
                }
            }
        }

        /** A persistent sandbox: compared with its Deployment. */
        private void persistentRow(Sandbox row, V1Deployment deployment) {
            if (Sandbox.DELETED.equals(row.desiredState())) {
                persistentDeleted(row, deployment);
            } else if (deployment == null) {
                missing(row);
            } else {
                String before = row.lifecycleStatus();
                if (persistentSync.sync(row, "reconcile")) {
                    fixed++;
                    item(row.id(), STATUS_MISMATCH, "none", "db_status=" + before + ", deployment present");
                }
            }
        }

        /** A persistent sandbox being (or already) deleted: its Deployment must go, then the row is finished. */
        private void persistentDeleted(Sandbox row, V1Deployment deployment) {
            if (deployment == null) {
                deleted(row, null);
                return;
            }
            if (deployment.getMetadata().getDeletionTimestamp() != null) {
                return; // on its way out; the informer records the end
            }
            try {
                persistent.deleteDeployment(row);
                fixed++;
                item(row.id(), STATUS_MISMATCH, "deletion_pending", "residual deployment found; deleted it again");
            } catch (io.kubernetes.client.openapi.ApiException e) {
                item(row.id(), STATUS_MISMATCH, "cleanup_failed",
                        "residual deployment found; delete failed with HTTP " + e.getCode());
            }
        }

        /** The sandbox is being (or was) deleted: its pod must go, then the row is finished. */
        private void deleted(Sandbox row, V1Pod pod) {
            if (pod != null) {
                if (pod.getMetadata().getDeletionTimestamp() != null) {
                    return; // on its way out; the informer records the end
                }
                try {
                    core.deleteNamespacedPod(pod.getMetadata().getName(), pod.getMetadata().getNamespace()).execute();
                    fixed++;
                    item(row.id(), STATUS_MISMATCH, "deletion_pending", "residual pod found; deleted it again");
                } catch (io.kubernetes.client.openapi.ApiException e) {
                    item(row.id(), STATUS_MISMATCH, "cleanup_failed",
                            "residual pod found; delete failed with HTTP " + e.getCode());
                }
                return;
            }
            if (!row.isDeleted()) {
                Instant at = now();
                if (sandboxes.markDeleted(row.id(), "delete completed", TimeText.format(at)) > 0) {
                    history.save(StatusHistory.of(row.id(), "reconcile", row.lifecycleStatus(), LifecycleStatus.DELETED.wire(),
                            "delete completed", at));
                    fixed++;
                }
                item(row.id(), STATUS_MISMATCH, "mark_deleted", "no pod left; db_status=" + row.lifecycleStatus());
            }
        }

        /** A wanted sandbox without a pod. */
        private void missing(Sandbox row) {
            String status = row.lifecycleStatus();
            if (LifecycleStatus.LOST.is(status) || LifecycleStatus.STOPPED.is(status)) {
                return; // already recorded; nothing to repair
            }
            if (LifecycleStatus.TERMINATING.is(status)) {
                Instant at = now();
                if (sandboxes.markDeleted(row.id(), "delete completed", TimeText.format(at)) > 0) {
                    history.save(StatusHistory.of(row.id(), "reconcile", status, LifecycleStatus.DELETED.wire(), "delete completed", at));
                    fixed++;
                }
                item(row.id(), MISSING_IN_K8S, "mark_deleted", "pod gone while terminating");
                return;
            }
            Instant lastSeen = row.lastSeenAt() != null ? row.lastSeenAt() : row.createdAt();
            Duration missingFor = Duration.between(lastSeen, Instant.now());
            if (missingFor.compareTo(settings.lostAfter()) < 0) {
                item(row.id(), MISSING_IN_K8S, "none", "pod missing for " + missingFor.toSeconds() + "s; within grace");
                return;
            }
            String reason = "reconcile: pod missing beyond grace period";
            Instant at = now();
            if (sandboxes.transition(row.id(), status, LifecycleStatus.LOST.wire(), reason, TimeText.format(at)) > 0) {
                history.save(StatusHistory.of(row.id(), "reconcile", status, LifecycleStatus.LOST.wire(), reason, at));
                fixed++;
            }
            item(row.id(), MISSING_IN_K8S, "mark_lost", "db_status=" + status);
        }

        /** A wanted sandbox with its pod: the row must say what the pod says. */
        private void present(Sandbox row, V1Pod pod) {
            String before = row.lifecycleStatus();
            if (statusSync.sync(row, pod, "reconcile")) {
                fixed++;
                String phase = pod.getStatus() == null ? "" : String.valueOf(pod.getStatus().getPhase());
                item(row.id(), STATUS_MISMATCH, "none", "db_status=" + before + ", pod_phase=" + phase);
            }
        }

        private void item(String sandboxId, String driftType, String action, String detail) {
            found.add(new ReconcileItem(null, runId, sandboxId, driftType, action, detail, now()));
        }
    }
}
