package io.liteboxd.api.sandbox;

import static io.liteboxd.common.kubernetes.SandboxContract.*;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.storage.TimeText;
import io.liteboxd.common.kubernetes.SandboxPodStatus;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows sandbox pods ({@link SandboxPodCache}'s events) and writes what it sees into the sandbox rows and
 * their status history: pending → running when the pod is Ready (the template's readiness probe
 * is the pod's), failed/succeeded when it ends or the controller marks it past its startup
 * deadline, deleted when it is gone. No polling: every change arrives as a watch event; the
 * cache is never mutated. Persistent sandboxes' pods are {@link PersistentStatusSync}'s.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class SandboxStatusSync implements SandboxPodListener {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxStatusSync.class);

    private final SandboxRepository sandboxes;
    private final StatusHistoryRepository history;
    private final TimeToRunning timeToRunning;

    SandboxStatusSync(SandboxRepository sandboxes, StatusHistoryRepository history, TimeToRunning timeToRunning) {
        this.sandboxes = sandboxes;
        this.history = history;
        this.timeToRunning = timeToRunning;
    }

    @Override
    public void onAdd(V1Pod pod) {
        observe(pod);
    }

    @Override
    public void onUpdate(V1Pod oldPod, V1Pod newPod) {
        observe(newPod);
    }

    @Override
    public void onDelete(V1Pod pod, boolean finalStateUnknown) {
        String id = sandboxId(pod);
        if (id == null || PersistentStatusSync.isPersistent(pod)) { // its pods come and go; see PersistentStatusSync
            return;
        }
        sandboxes.findById(id).filter(row -> !row.isDeleted()).ifPresent(row -> {
            Map<String, String> annotations = pod.getMetadata().getAnnotations();
            String reason = annotations != null && annotations.containsKey(DELETION_REASON_ANNOTATION)
                    ? annotations.get(DELETION_REASON_ANNOTATION)
                    : Sandbox.DELETED.equals(row.desiredState()) ? "delete completed" : "pod deleted";
            Instant now = Instant.now();
            if (sandboxes.markDeleted(id, reason, TimeText.format(now)) > 0) {
                String source = reason.equals("ttl expired") ? "ttl_cleaner" : "system";
                history.save(StatusHistory.of(id, source, row.lifecycleStatus(), LifecycleStatus.DELETED.wire(), reason, now));
            }
        });
    }

    private void observe(V1Pod pod) {
        String id = sandboxId(pod);
        if (id == null || PersistentStatusSync.isPersistent(pod)) {
            return;
        }
        try {
            sandboxes.findById(id).filter(row -> Sandbox.ACTIVE.equals(row.desiredState()))
                    .ifPresent(row -> sync(row, pod, "system"));
        } catch (RuntimeException e) {
            // One bad event must not stop the informer's delivery thread.
            LOG.error("sandbox {}: recording pod state failed", id, e);
        }
    }

    /**
     * Copies what the pod shows ({@link SandboxPodStatus}) into the row of a wanted sandbox, with
     * a history row (from {@code source}) when the status changes. A startup deadline that passed
     * arrives here as the controller's {@code liteboxd.io/startup-failed} on the pod.
     * Returns true if the row was out of date and this call updated it.
     */
    public boolean sync(Sandbox row, V1Pod pod, String source) {
        String id = row.id();
        SandboxPodStatus podStatus = SandboxPodStatus.of(pod);
        String status = podStatus.wire();
        String uid = pod.getMetadata().getUid();
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
        String ip = pod.getStatus() == null || pod.getStatus().getPodIP() == null ? "" : pod.getStatus().getPodIP();
        boolean changed = !status.equals(row.lifecycleStatus());
        if (!changed && Objects.equals(uid, row.podUid()) && phase.equals(row.podPhase()) && ip.equals(row.podIp())) {
            return false;
        }
        Instant now = Instant.now();
        String reason = changed ? podStatus.reason(pod) : row.statusReason();
        if (sandboxes.observe(id, row.lifecycleStatus(), status, reason, uid, phase, ip, TimeText.format(now)) == 0) {
            return false;
        }
        if (changed) {
            timeToRunning.moved(row, row.lifecycleStatus(), status, now);
            history.save(StatusHistory.of(id, source, row.lifecycleStatus(), status, reason, now));
        }
        return true;
    }

    /** The {@code sandbox-id} label of a sandbox's pod or Deployment, or null. */
    public static String sandboxId(KubernetesObject object) {
        var labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        return labels == null ? null : labels.get(SANDBOX_ID_LABEL);
    }
}
