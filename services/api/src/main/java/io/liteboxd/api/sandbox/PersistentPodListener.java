package io.liteboxd.api.sandbox;

import io.kubernetes.client.openapi.models.V1Pod;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Hands the events of persistent sandboxes' pods to {@link PersistentStatusSync}: a pod that
 * appears, changes or goes away (a restart, a stop) makes it look at the sandbox again.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
class PersistentPodListener implements SandboxPodListener {

    private final PersistentStatusSync status;

    PersistentPodListener(PersistentStatusSync status) {
        this.status = status;
    }

    @Override
    public void onAdd(V1Pod pod) {
        if (PersistentStatusSync.isPersistent(pod)) {
            status.observe(SandboxStatusSync.sandboxId(pod));
        }
    }

    @Override
    public void onUpdate(V1Pod oldPod, V1Pod newPod) {
        if (PersistentStatusSync.isPersistent(newPod)) {
            status.observe(SandboxStatusSync.sandboxId(newPod));
        }
    }

    @Override
    public void onDelete(V1Pod pod, boolean finalStateUnknown) {
        if (PersistentStatusSync.isPersistent(pod)) {
            status.observe(SandboxStatusSync.sandboxId(pod));
        }
    }
}
