package io.liteboxd.api.sandbox;

import static io.liteboxd.common.kubernetes.SandboxContract.STARTUP_DEADLINE_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.STARTUP_FAILED_ANNOTATION;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails sandboxes whose pod is not Ready by its {@code liteboxd.io/startup-deadline}. One timer
 * per pending pod fires at the deadline (no periodic scan); if the cached pod is still not
 * Ready, the reason is written onto the pod as {@code liteboxd.io/startup-failed}, and the pod
 * informer turns that into {@code failed} like any other pod change. Keeping the verdict on the
 * pod makes it survive API restarts and lets the gateway and the reconciler see it too.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
class StartupDeadlines {

    private static final Logger LOG = LoggerFactory.getLogger(StartupDeadlines.class);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("startup-deadlines").factory());
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();
    private final CoreV1Api core;
    private final ApiClient client;
    private final JsonMapper json;

    StartupDeadlines(CoreV1Api core, ApiClient client, JsonMapper json) {
        this.core = core;
        this.client = client;
        this.json = json;
    }

    /**
     * Called for every observed pod: arms a timer while it is pending, disarms it otherwise.
     * {@code currentPod} reads the pod from the informer cache when the timer fires.
     */
    void track(String sandboxId, V1Pod pod, String status, Function<String, Optional<V1Pod>> currentPod) {
        if (!"pending".equals(status)) {
            forget(sandboxId);
            return;
        }
        Instant deadline = deadlineOf(pod);
        if (deadline == null || pending.containsKey(sandboxId)) {
            return;
        }
        long delay = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
        pending.computeIfAbsent(sandboxId, id -> timers.schedule(
                () -> expire(id, currentPod), delay, TimeUnit.MILLISECONDS));
    }

    void forget(String sandboxId) {
        ScheduledFuture<?> timer = pending.remove(sandboxId);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void expire(String sandboxId, Function<String, Optional<V1Pod>> currentPod) {
        pending.remove(sandboxId);
        try {
            Optional<V1Pod> pod = currentPod.apply(sandboxId);
            if (pod.isEmpty() || !"pending".equals(SandboxStatusSync.statusOf(pod.get()))) {
                return;
            }
            String reason = "startup timed out: " + SandboxStatusSync.pendingReason(pod.get());
            String patch = json.writeValueAsString(Map.of("metadata",
                    Map.of("annotations", Map.of(STARTUP_FAILED_ANNOTATION, reason))));
            var meta = pod.get().getMetadata();
            PatchUtils.patch(V1Pod.class,
                    () -> core.patchNamespacedPod(meta.getName(), meta.getNamespace(), new V1Patch(patch)).buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
            LOG.info("sandbox {}: {}", sandboxId, reason);
        } catch (ApiException e) {
            // 404: deleted meanwhile, nothing to fail. Otherwise the reconciler's next pass
            // re-arms the timer from the cache, so a transient error only delays the verdict.
            if (e.getCode() != 404) {
                LOG.warn("sandbox {}: marking startup failure failed: HTTP {}", sandboxId, e.getCode());
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("sandbox {}: startup deadline check failed", sandboxId, e);
        }
    }

    private static Instant deadlineOf(V1Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(STARTUP_DEADLINE_ANNOTATION);
        if (value == null || annotations.containsKey(STARTUP_FAILED_ANNOTATION)) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @PreDestroy
    void stop() {
        timers.shutdownNow();
    }
}
