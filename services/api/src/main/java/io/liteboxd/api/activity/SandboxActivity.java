package io.liteboxd.api.activity;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.sandbox.SandboxPodCache;
import io.liteboxd.common.kubernetes.ActivityMarks;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's half of {@code liteboxd.io/last-activity} (docs/contract.md): exec, terminal input and
 * file transfer into a persistent sandbox count as activity, so idle suspend never stops a
 * sandbox someone is working in through the API. The throttle is {@link ActivityMarks}, shared
 * with the gateway; the API does not read Deployments, so the first mark of a sandbox is written
 * at once and its answer (the Deployment, with its idle timeout) sets the interval for the next.
 * Best effort and off the request thread: a failed mark is retried by the next activity.
 */
@Singleton
@Requires(beans = SandboxPodCache.class)
public class SandboxActivity {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxActivity.class);

    private final ActivityMarks marks;
    private final SandboxPodCache pods;
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();

    SandboxActivity(ActivityMarks marks, SandboxPodCache pods) {
        this.marks = marks;
        this.pods = pods;
    }

    /** Activity in this pod's sandbox (ignored unless it is a persistent sandbox's pod). */
    public void touch(V1Pod pod) {
        if (!PersistentDeployment.isPersistent(pod) || PersistentDeployment.sandboxId(pod) == null) {
            return;
        }
        String sandboxId = PersistentDeployment.sandboxId(pod);
        Instant now = Instant.now();
        if (!marks.claim(sandboxId, Optional.empty(), now)) {
            return;
        }
        String namespace = pod.getMetadata().getNamespace();
        writers.execute(() -> {
            try {
                marks.write(namespace, sandboxId, now);
            } catch (ApiException e) {
                marks.release(sandboxId, now);
                LOG.debug("last-activity of {} not written: HTTP {}", sandboxId, e.getCode());
            }
        });
    }

    /** Activity in a sandbox known by id (terminal input): its pod from the cache. */
    public void touch(String sandboxId) {
        pods.pod(sandboxId).ifPresent(this::touch);
    }

    @PreDestroy
    void close() {
        writers.shutdown();
    }
}
