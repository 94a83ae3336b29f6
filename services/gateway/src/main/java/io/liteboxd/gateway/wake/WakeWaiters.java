package io.liteboxd.gateway.wake;

import static io.liteboxd.common.kubernetes.SandboxContract.WAKE_REQUESTED_AT_ANNOTATION;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.gateway.proxy.AccessCheck;
import io.liteboxd.gateway.proxy.GatewayError;
import io.liteboxd.gateway.sandbox.SandboxDeploymentCache;
import io.liteboxd.gateway.sandbox.SandboxPodCache;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * Requests held for a persistent sandbox that has no Ready pod (stopped, or starting): each waits
 * on a future that the pod informer completes with the pod's IP when one of the sandbox's pods
 * turns Ready; no thread is blocked and nothing polls. A stopped sandbox is asked to wake
 * ({@link WakeRequests}), again if it is stopped (idle) while requests wait. Bounded in time
 * ({@code liteboxd.gateway.wake.timeout}) and in number ({@code max-waiting}); both refusals are
 * 503 with {@code Retry-After}. A Deployment deleted meanwhile answers 404.
 */
@Singleton
@Requires(beans = SandboxPodCache.class)
public class WakeWaiters {

    /** What a refused client is told to wait before trying again. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final SandboxPodCache pods;
    private final SandboxDeploymentCache deployments;
    private final WakeRequests wakes;
    private final WakeSettings settings;
    private final Map<String, Set<CompletableFuture<String>>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();

    WakeWaiters(SandboxPodCache pods, SandboxDeploymentCache deployments, WakeRequests wakes, WakeSettings settings,
                MeterRegistry registry) {
        this.pods = pods;
        this.deployments = deployments;
        this.wakes = wakes;
        this.settings = settings;
        Gauge.builder("liteboxd.gateway.wake.waiting", held, AtomicInteger::get)
                .description("Requests held until a persistent sandbox's pod is Ready").register(registry);
        pods.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1Pod pod) {
                podChanged(pod);
            }

            @Override
            public void onUpdate(V1Pod oldPod, V1Pod newPod) {
                podChanged(newPod);
            }

            @Override
            public void onDelete(V1Pod pod, boolean finalStateUnknown) {
                // A pod going away wakes nobody; its successor's events will.
            }
        });
        deployments.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(V1Deployment deployment) {
                deploymentChanged(deployment);
            }

            @Override
            public void onUpdate(V1Deployment oldDeployment, V1Deployment newDeployment) {
                deploymentChanged(newDeployment);
            }

            @Override
            public void onDelete(V1Deployment deployment, boolean finalStateUnknown) {
                fail(PersistentDeployment.sandboxId(deployment), new GatewayError(HttpStatus.NOT_FOUND, "sandbox not found"));
            }
        });
    }

    /**
     * The target once the sandbox has a Ready pod. The caller resumes on whichever thread
     * completes it (the informer's, or a timer's): switch back to the connection's event loop.
     */
    public Mono<AccessCheck.Target> await(AccessCheck.Admission.Await admission) {
        String id = admission.sandboxId();
        return Mono.defer(() -> {
            if (held.incrementAndGet() > settings.maxWaiting()) {
                held.decrementAndGet();
                return Mono.error(new GatewayError(HttpStatus.SERVICE_UNAVAILABLE,
                        "too many requests waiting for sandboxes to start", RETRY_AFTER));
            }
            CompletableFuture<String> podIp = new CompletableFuture<>();
            waiting.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(podIp);
            // After registering, so a pod that turned Ready in between is not missed.
            pods.pod(id).filter(SandboxPodCache::usable).ifPresent(pod -> podIp.complete(pod.getStatus().getPodIP()));
            if (!podIp.isDone()) {
                deployments.persistent(id).ifPresent(this::wakeIfStopped);
            }
            return Mono.fromFuture(podIp, true)
                    .timeout(settings.timeout(), Mono.error(() -> new GatewayError(HttpStatus.SERVICE_UNAVAILABLE,
                            "the sandbox did not start in time", RETRY_AFTER)))
                    .map(ip -> new AccessCheck.Target(id, ip, admission.port()))
                    .doFinally(signal -> {
                        waiting.computeIfPresent(id, (k, set) -> {
                            set.remove(podIp);
                            return set.isEmpty() ? null : set;
                        });
                        held.decrementAndGet();
                    });
        });
    }

    /** Requests held now (for tests and the gauge). */
    public int held() {
        return held.get();
    }

    private void podChanged(V1Pod pod) {
        String id = PersistentDeployment.sandboxId(pod);
        if (id == null || !waiting.containsKey(id) || !SandboxPodCache.usable(pod)) {
            return;
        }
        String ip = pod.getStatus().getPodIP();
        Set<CompletableFuture<String>> set = waiting.get(id);
        if (set != null) {
            set.forEach(future -> future.complete(ip));
        }
    }

    private void deploymentChanged(V1Deployment deployment) {
        String id = PersistentDeployment.sandboxId(deployment);
        if (id != null && waiting.containsKey(id)) {
            wakeIfStopped(deployment);
        }
    }

    /** Stopped and not asked yet (a stop clears an earlier request): ask. */
    private void wakeIfStopped(V1Deployment deployment) {
        if (deployment.getMetadata().getDeletionTimestamp() == null && PersistentDeployment.replicas(deployment) == 0
                && Annotations.get(deployment, WAKE_REQUESTED_AT_ANNOTATION) == null) {
            wakes.request(PersistentDeployment.sandboxId(deployment));
        }
    }

    private void fail(String id, GatewayError error) {
        Set<CompletableFuture<String>> set = id == null ? null : waiting.get(id);
        if (set != null) {
            set.forEach(future -> future.completeExceptionally(error));
        }
    }
}
