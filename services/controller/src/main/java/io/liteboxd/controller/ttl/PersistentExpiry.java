package io.liteboxd.controller.ttl;

import static io.liteboxd.common.kubernetes.SandboxContract.DELETION_REASON_ANNOTATION;

import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.workqueue.Reconciler;
import io.liteboxd.controller.ControllerSettings;
import io.liteboxd.controller.kubernetes.ControllerDeployments;
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
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TTL expiry of persistent sandboxes, the same way as {@link SandboxExpiry} but for the
 * Deployment: requeued for its {@code expires-at}, never acted on while stopped (the TTL is
 * paused; starting moves {@code expires-at}), deleted by the leader with
 * {@code deletion-reason: ttl expired} and the Deployment's UID as a precondition. Its pods go
 * with it, and with reclaim {@code Delete} its PVC too (ownerReference); docs/contract.md, Who
 * deletes what.
 */
@Singleton
@Requires(beans = Leadership.class)
public class PersistentExpiry implements Reconciler<String> {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentExpiry.class);

    private final SharedInformerFactory informers;
    private final ControllerDeployments deployments;
    private final AppsV1Api apps;
    private final AnnotationPatcher annotations;
    private final ControllerSettings settings;
    private final LeaderLoops loops;
    private final ObjectEvents events;
    private final ActedOn deleted = new ActedOn();
    private final Counter expiries;

    PersistentExpiry(SharedInformerFactory informers, ControllerDeployments deployments, AppsV1Api apps,
                     AnnotationPatcher annotations, ControllerSettings settings, LeaderLoops loops, ObjectEvents events,
                     MeterRegistry registry) {
        this.informers = informers;
        this.deployments = deployments;
        this.apps = apps;
        this.annotations = annotations;
        this.settings = settings;
        this.loops = loops;
        this.events = events;
        this.expiries = Counter.builder("liteboxd.controller.persistent.expiries")
                .description("Persistent sandboxes (Deployments) deleted at their TTL").register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        var loop = loops.start("ttl-expiry-persistent", 2, this, deployments::persistentKeys);
        deployments.informer().addEventHandler(EnqueueKeys.own(loop.queue(), ControllerDeployments.PERSISTENT));
        Informers.startAndSync(informers, deployments.informer(), "sandbox Deployment");
    }

    @Override
    public Result reconcile(String key) throws ApiException {
        V1Deployment deployment = deployments.informer().getIndexer().getByKey(key);
        if (deployment == null || !ControllerDeployments.PERSISTENT.test(deployment) || deleted.includes(key, deployment)) {
            return Result.done();
        }
        return switch (ExpiryDecision.of(deployment, Instant.now())) {
            case ExpiryDecision.Never never -> Result.done();
            case ExpiryDecision.NotYet(Instant at) -> Result.at(at);
            case ExpiryDecision.Expire(Instant at) -> {
                expire(key, deployment, at);
                yield Result.done();
            }
        };
    }

    private void expire(String key, V1Deployment deployment, Instant at) throws ApiException {
        var meta = deployment.getMetadata();
        try {
            annotations.deployment(meta.getNamespace(), meta.getName(), Map.of(DELETION_REASON_ANNOTATION, SandboxExpiry.REASON));
            apps.deleteNamespacedDeployment(meta.getName(), meta.getNamespace())
                    .body(new V1DeleteOptions().preconditions(new V1Preconditions().uid(meta.getUid())))
                    .execute();
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return; // already gone, or replaced by a Deployment of the same name
            }
            throw e;
        }
        deleted.add(key, deployment);
        expiries.increment();
        LOG.atInfo().addKeyValue("deployment", meta.getName()).log("expired {}", meta.getName());
        events.record("Deployment", "apps/v1", meta, "Normal", "Expired",
                "TTL reached at " + at + "; deleted by " + settings.identity());
    }
}
