package io.liteboxd.controller.idle;

import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.PersistentScale;
import io.liteboxd.common.workqueue.Reconciler;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.controller.kubernetes.ControllerDeployments;
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
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake on request: the gateway, which may only write annotations, marks a stopped persistent
 * sandbox {@code liteboxd.io/wake-requested-at} when a request for it arrives; the leader then
 * starts it with {@link PersistentScale#start} ({@code replicas} 1, {@code expires-at} moved by
 * the time stopped, the stop and wake annotations removed, in one patch) and records a
 * {@code Woken} Event. The gateway holds the request until the new pod is Ready. A sandbox whose
 * last pod is still terminating is started only once that pod is gone: its ReplicaSet does not
 * count a terminating pod, and would run the new one beside it on the same ReadWriteOnce claim
 * (seen on the test bed for a sandbox woken right after its suspension).
 */
@Singleton
@Requires(beans = Leadership.class)
public class WakeOnRequest implements Reconciler<String> {

    private static final Logger LOG = LoggerFactory.getLogger(WakeOnRequest.class);

    private final SharedInformerFactory informers;
    /** How soon to look again while the stopped sandbox's last pod terminates. */
    private static final Duration OLD_POD_RECHECK = Duration.ofMillis(500);

    private final ControllerDeployments deployments;
    private final ControllerPods pods;
    private final PersistentScale scale;
    private final LeaderLoops loops;
    private final ObjectEvents events;
    /** Deployment versions this replica started, which the cache may still show stopped. */
    private final ActedOn started = ActedOn.perVersion();
    private final Counter wakes;

    WakeOnRequest(SharedInformerFactory informers, ControllerDeployments deployments, ControllerPods pods,
                  PersistentScale scale, LeaderLoops loops, ObjectEvents events, MeterRegistry registry) {
        this.informers = informers;
        this.deployments = deployments;
        this.pods = pods;
        this.scale = scale;
        this.loops = loops;
        this.events = events;
        this.wakes = Counter.builder("liteboxd.controller.wakes")
                .description("Stopped persistent sandboxes started because a gateway request arrived").register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        var loop = loops.start("wake", 2, this, deployments::persistentKeys);
        deployments.informer().addEventHandler(EnqueueKeys.own(loop.queue(), ControllerDeployments.PERSISTENT));
        Informers.startAndSync(informers, deployments.informer(), "sandbox Deployment");
    }

    @Override
    public Result reconcile(String key) throws ApiException {
        V1Deployment deployment = deployments.informer().getIndexer().getByKey(key);
        if (deployment == null || !ControllerDeployments.PERSISTENT.test(deployment) || started.includes(key, deployment)
                || !WakeDecision.wanted(deployment)) {
            return Result.done();
        }
        var meta = deployment.getMetadata();
        String sandboxId = PersistentDeployment.sandboxId(deployment);
        if (sandboxId != null && !pods.bySandboxId(sandboxId).isEmpty()) {
            return Result.at(Instant.now().plus(OLD_POD_RECHECK));
        }
        try {
            // The cached annotations are only read: stopped-at and expires-at give the new expiry.
            scale.start(meta.getNamespace(), meta.getName(), meta.getAnnotations(), Instant.now());
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return Result.done();
            }
            throw e;
        }
        started.add(key, deployment);
        wakes.increment();
        LOG.atInfo().addKeyValue("deployment", meta.getName()).log("woke {} on a gateway request", meta.getName());
        events.record("Deployment", "apps/v1", meta, "Normal", "Woken", "started: a gateway request arrived while stopped");
        return Result.done();
    }
}
