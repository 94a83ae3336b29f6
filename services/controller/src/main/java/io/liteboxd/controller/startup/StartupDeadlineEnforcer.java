package io.liteboxd.controller.startup;

import static io.liteboxd.common.kubernetes.SandboxContract.STARTUP_FAILED_ANNOTATION;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Caches;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.workqueue.Reconciler;
import io.liteboxd.controller.kubernetes.ControllerPods;
import io.liteboxd.controller.kubernetes.ObjectEvents;
import io.liteboxd.controller.leader.Leadership;
import io.liteboxd.controller.workqueue.ActedOn;
import io.liteboxd.controller.workqueue.EnqueueKeys;
import io.liteboxd.controller.workqueue.LeaderLoops;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails sandboxes whose pod is not Ready by its {@code liteboxd.io/startup-deadline}: pod events
 * queue the pod's key, the reconciler requeues it for the deadline, and if the cached pod is
 * still pending then, the leader writes the reason onto it as {@code liteboxd.io/startup-failed}.
 * The API's pod informer turns that into {@code failed}, and the gateway refuses the sandbox.
 * Here rather than in the API because the API may run as several replicas, and the verdict is
 * written once, by the one leader; keeping it on the pod makes it survive every restart.
 */
@Singleton
@Requires(beans = Leadership.class)
public class StartupDeadlineEnforcer implements Reconciler<String> {

    private static final Logger LOG = LoggerFactory.getLogger(StartupDeadlineEnforcer.class);

    private final SharedInformerFactory informers;
    private final ControllerPods controllerPods;
    private final AnnotationPatcher annotations;
    private final LeaderLoops loops;
    private final ObjectEvents events;
    /** Pods this replica failed, which the cache may not show failed yet. */
    private final ActedOn failed = new ActedOn();
    private final Counter timeouts;
    private SharedIndexInformer<V1Pod> pods;

    StartupDeadlineEnforcer(SharedInformerFactory informers, ControllerPods controllerPods, AnnotationPatcher annotations,
                            LeaderLoops loops, ObjectEvents events, MeterRegistry registry) {
        this.informers = informers;
        this.controllerPods = controllerPods;
        this.annotations = annotations;
        this.loops = loops;
        this.events = events;
        this.timeouts = Counter.builder("liteboxd.controller.startup.timeouts")
                .description("Sandboxes failed because their pod was not Ready by its startup deadline")
                .register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        pods = controllerPods.informer();
        var loop = loops.start("startup-deadline", 2, this, this::sandboxKeys);
        pods.addEventHandler(EnqueueKeys.own(loop.queue(), ControllerPods.SANDBOX));
        Informers.startAndSync(informers, pods, "sandbox pod");
    }

    private List<String> sandboxKeys() {
        return pods.getIndexer().list().stream().filter(ControllerPods.SANDBOX).map(Caches::metaNamespaceKeyFunc).toList();
    }

    @Override
    public Result reconcile(String key) throws ApiException {
        V1Pod pod = pods.getIndexer().getByKey(key);
        if (pod == null || !ControllerPods.SANDBOX.test(pod) || failed.includes(key, pod)) {
            return Result.done();
        }
        return switch (StartupDecision.of(pod, Instant.now())) {
            case StartupDecision.None none -> Result.done();
            case StartupDecision.NotYet(Instant deadline) -> Result.at(deadline);
            case StartupDecision.Fail(String reason) -> {
                fail(key, pod, reason);
                yield Result.done();
            }
        };
    }

    private void fail(String key, V1Pod pod, String reason) throws ApiException {
        var meta = pod.getMetadata();
        try {
            annotations.pod(meta.getNamespace(), meta.getName(), Map.of(STARTUP_FAILED_ANNOTATION, reason));
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return; // deleted meanwhile: nothing to fail
            }
            throw e;
        }
        failed.add(key, pod);
        timeouts.increment();
        LOG.atInfo().addKeyValue("pod", meta.getName()).log("{}: {}", meta.getName(), reason);
        events.record("Pod", "v1", meta, "Warning", "StartupTimedOut", reason);
    }
}
