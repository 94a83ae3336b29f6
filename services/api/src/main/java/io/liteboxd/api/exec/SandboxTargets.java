package io.liteboxd.api.exec;

import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.activity.SandboxActivity;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.sandbox.Sandbox;
import io.liteboxd.api.sandbox.SandboxRepository;
import io.liteboxd.api.sandbox.SandboxPodCache;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the container to exec into, read files from or take logs of: the sandbox must exist
 * (404 otherwise, where upstream answered 500) and its {@code main} container must be running
 * (409 otherwise). The pod comes from the informer cache, not from an API call. Each use counts as
 * activity of a persistent sandbox ({@link SandboxActivity}).
 */
@Singleton
@Requires(beans = SandboxPodCache.class)
public class SandboxTargets {

    private final SandboxRepository sandboxes;
    private final SandboxPodCache pods;
    private final SandboxActivity activity;

    SandboxTargets(SandboxRepository sandboxes, SandboxPodCache pods, SandboxActivity activity) {
        this.sandboxes = sandboxes;
        this.pods = pods;
        this.activity = activity;
    }

    /** The row of a sandbox that is not deleted (404 otherwise). */
    public Sandbox sandbox(String sandboxId) {
        return sandboxes.findById(sandboxId).filter(s -> !s.isDeleted())
                .orElseThrow(() -> ApiException.notFound("sandbox not found"));
    }

    /**
     * The sandbox's pod, whatever state it is in (logs want it even when it has stopped); a
     * persistent sandbox's is found by its label, the best of several during a restart.
     */
    public V1Pod pod(String sandboxId) {
        return pods.pod(sandbox(sandboxId).id())
                .orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "sandbox has no pod"));
    }

    /** The sandbox's pod if it has one (a stopped persistent sandbox has none). */
    public Optional<V1Pod> podOf(Sandbox row) {
        return pods.pod(row.id());
    }

    /** The running {@code main} container of a sandbox that is not being deleted. */
    public PodExec.Target running(String sandboxId) {
        return target(runningPod(sandboxId));
    }

    /** The {@code main} container of a pod {@link #runningPod} returned. */
    public static PodExec.Target target(V1Pod pod) {
        return new PodExec.Target(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                SandboxContract.MAIN_CONTAINER);
    }

    /** The pod of a sandbox that is not being deleted and whose {@code main} container runs (409 otherwise). */
    public V1Pod runningPod(String sandboxId) {
        V1Pod pod = pod(sandboxId);
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            throw new ApiException(HttpStatus.CONFLICT, "sandbox is terminating");
        }
        boolean mainRunning = pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null
                && pod.getStatus().getContainerStatuses().stream()
                        .filter(c -> SandboxContract.MAIN_CONTAINER.equals(c.getName()))
                        .map(V1ContainerStatus::getState).filter(Objects::nonNull)
                        .anyMatch(state -> state.getRunning() != null);
        if (!mainRunning) {
            throw new ApiException(HttpStatus.CONFLICT, "sandbox is not running");
        }
        // Exec, terminal and file transfer all start here: a persistent sandbox is in use.
        activity.touch(pod);
        return pod;
    }
}
