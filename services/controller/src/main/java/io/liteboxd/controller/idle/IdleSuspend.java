package io.liteboxd.controller.idle;

import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.common.kubernetes.PersistentScale;
import io.liteboxd.common.workqueue.Reconciler;
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
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle suspend of persistent sandboxes: Deployment events (a new {@code last-activity} among
 * them) and the events of their pods (one turning Ready) queue the Deployment's key; the
 * reconciler requeues it for the instant it falls due ({@link IdleDecision}, no scans), and if it
 * is still idle then, the leader stops it with {@link PersistentScale} (pod gone, PVC kept, TTL
 * paused by {@code stopped-at}) and records an {@code IdleSuspended} Event.
 */
@Singleton
@Requires(beans = Leadership.class)
public class IdleSuspend implements Reconciler<String> {

    private static final Logger LOG = LoggerFactory.getLogger(IdleSuspend.class);

    private final SharedInformerFactory informers;
    private final ControllerDeployments deployments;
    private final ControllerPods pods;
    private final PersistentScale scale;
    private final LeaderLoops loops;
    private final ObjectEvents events;
    /** Deployment versions this replica stopped, which the cache may still show running. */
    private final ActedOn stopped = ActedOn.perVersion();
    private final Counter suspensions;

    IdleSuspend(SharedInformerFactory informers, ControllerDeployments deployments, ControllerPods pods,
                PersistentScale scale, LeaderLoops loops, ObjectEvents events, MeterRegistry registry) {
        this.informers = informers;
        this.deployments = deployments;
        this.pods = pods;
        this.scale = scale;
        this.loops = loops;
        this.events = events;
        this.suspensions = Counter.builder("liteboxd.controller.idle.suspensions")
                .description("Persistent sandboxes stopped after their idle timeout").register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        var loop = loops.start("idle-suspend", 2, this, deployments::persistentKeys);
        deployments.informer().addEventHandler(EnqueueKeys.own(loop.queue(), ControllerDeployments.PERSISTENT));
        pods.informer().addEventHandler(new EnqueueKeys<V1Pod>(loop.queue(), pod -> ControllerPods.PERSISTENT.test(pod)
                && PersistentDeployment.sandboxId(pod) != null ? deployments.keyOf(PersistentDeployment.sandboxId(pod)) : null));
        Informers.startAndSync(informers, deployments.informer(), "sandbox Deployment");
        Informers.startAndSync(informers, pods.informer(), "sandbox pod");
    }

    @Override
    public Result reconcile(String key) throws ApiException {
        V1Deployment deployment = deployments.informer().getIndexer().getByKey(key);
        if (deployment == null || !ControllerDeployments.PERSISTENT.test(deployment) || stopped.includes(key, deployment)) {
            return Result.done();
        }
        String sandboxId = PersistentDeployment.sandboxId(deployment);
        var readySince = IdleDecision.readySince(sandboxId == null ? List.of() : pods.bySandboxId(sandboxId));
        Instant now = Instant.now();
        return switch (IdleDecision.of(deployment, readySince, now)) {
            case IdleDecision.Never never -> Result.done();
            case IdleDecision.AwaitReady awaitReady -> Result.done();
            case IdleDecision.NotYet(Instant due) -> Result.at(due);
            case IdleDecision.Suspend(String reason) -> {
                suspend(key, deployment, now, reason);
                yield Result.done();
            }
        };
    }

    private void suspend(String key, V1Deployment deployment, Instant now, String reason) throws ApiException {
        var meta = deployment.getMetadata();
        try {
            scale.stopIfUnchanged(meta.getNamespace(), meta.getName(), meta.getResourceVersion(), now, reason);
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                // Deleted, or changed since the cached copy (a new last-activity, a stop by the
                // API): the change's own event brings the key back to decide again.
                return;
            }
            throw e;
        }
        stopped.add(key, deployment);
        suspensions.increment();
        LOG.atInfo().addKeyValue("deployment", meta.getName()).log("suspended {}: {}", meta.getName(), reason);
        events.record("Deployment", "apps/v1", meta, "Normal", "IdleSuspended", "stopped: " + reason);
    }
}
