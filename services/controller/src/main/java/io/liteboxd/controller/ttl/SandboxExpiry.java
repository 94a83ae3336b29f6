package io.liteboxd.controller.ttl;

import static io.liteboxd.common.kubernetes.SandboxContract.DELETION_REASON_ANNOTATION;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Caches;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.workqueue.Reconciler;
import io.liteboxd.controller.ControllerSettings;
import io.liteboxd.controller.kubernetes.ControllerPods;
import io.liteboxd.controller.kubernetes.ObjectEvents;
import io.liteboxd.controller.leader.Leadership;
import io.liteboxd.controller.workqueue.ActedOn;
import io.liteboxd.controller.workqueue.EnqueueKeys;
import io.liteboxd.controller.workqueue.LeaderLoops;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TTL expiry of ephemeral sandboxes (persistent ones: {@link PersistentExpiry}), event-driven:
 * pod events queue the pod's key, and the reconciler requeues it for its
 * {@code liteboxd.io/expires-at} instant (no scan). When it is due, the leader deletes the pod
 * (after writing {@code liteboxd.io/deletion-reason: ttl expired}, which the API copies into the
 * history) with the pod's UID as a precondition, so a replacement of the same name is never hit.
 * A failed delete retries with the queue's backoff. Restarts lose nothing: the informer's first
 * list queues every pod again, and a new leader requeues the whole cache.
 */
@Singleton
@Requires(beans = Leadership.class)
public class SandboxExpiry implements Reconciler<String> {

    static final String REASON = "ttl expired";
    /**
     * A persistent sandbox's pod is its Deployment's, which carries the TTL; the pod template has
     * no {@code expires-at} (docs/contract.md), and were one there, deleting the pod would only
     * have the Deployment make another.
     */
    static final Predicate<V1Pod> EPHEMERAL = ControllerPods.SANDBOX.and(ControllerPods.PERSISTENT.negate());
    /** Deletes are independent, and sandboxes made together expire together. */
    private static final int WORKERS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(SandboxExpiry.class);

    private final SharedInformerFactory informers;
    private final ControllerPods controllerPods;
    private final CoreV1Api core;
    private final AnnotationPatcher annotations;
    private final ControllerSettings settings;
    private final LeaderLoops loops;
    private final ObjectEvents events;
    /** Pods this replica deleted that the cache may still show without a deletionTimestamp. */
    private final ActedOn deleted = new ActedOn();
    private final Counter expiries;
    private final Timer lateness;
    private SharedIndexInformer<V1Pod> pods;

    SandboxExpiry(SharedInformerFactory informers, ControllerPods controllerPods, CoreV1Api core,
                  AnnotationPatcher annotations, ControllerSettings settings, LeaderLoops loops, ObjectEvents events,
                  MeterRegistry registry) {
        this.informers = informers;
        this.controllerPods = controllerPods;
        this.core = core;
        this.annotations = annotations;
        this.settings = settings;
        this.loops = loops;
        this.events = events;
        this.expiries = Counter.builder("liteboxd.controller.expiries").description("Sandboxes deleted at their TTL")
                .register(registry);
        this.lateness = Timer.builder("liteboxd.controller.expiry.lateness")
                .description("From a sandbox's expires-at to its deletion").publishPercentileHistogram()
                .register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        pods = controllerPods.informer();
        var loop = loops.start("ttl-expiry", WORKERS, this, this::sandboxKeys);
        pods.addEventHandler(EnqueueKeys.own(loop.queue(), EPHEMERAL));
        Informers.startAndSync(informers, pods, "sandbox pod");
    }

    private List<String> sandboxKeys() {
        return pods.getIndexer().list().stream().filter(EPHEMERAL).map(Caches::metaNamespaceKeyFunc).toList();
    }

    @Override
    public Result reconcile(String key) throws ApiException {
        V1Pod pod = pods.getIndexer().getByKey(key);
        if (pod == null || !EPHEMERAL.test(pod) || deleted.includes(key, pod)) {
            return Result.done();
        }
        return switch (ExpiryDecision.of(pod, Instant.now())) {
            case ExpiryDecision.Never never -> Result.done();
            case ExpiryDecision.NotYet(Instant at) -> Result.at(at);
            case ExpiryDecision.Expire(Instant at) -> {
                expire(key, pod, at);
                yield Result.done();
            }
        };
    }

    /** Throws (and so retries with backoff) on anything but "already gone" and "replaced". */
    private void expire(String key, V1Pod pod, Instant at) throws ApiException {
        var meta = pod.getMetadata();
        String name = meta.getName();
        String namespace = meta.getNamespace();
        try {
            annotations.pod(namespace, name, Map.of(DELETION_REASON_ANNOTATION, REASON));
            core.deleteNamespacedPod(name, namespace)
                    .body(new V1DeleteOptions().preconditions(new V1Preconditions().uid(meta.getUid())))
                    .execute();
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return; // already gone, or replaced by a pod of the same name
            }
            throw e;
        }
        deleted.add(key, pod);
        Duration late = Duration.between(at, Instant.now());
        expiries.increment();
        lateness.record(late.isNegative() ? Duration.ZERO : late);
        LOG.atInfo().addKeyValue("pod", name).addKeyValue("lateness_ms", late.toMillis()).log("expired {}", name);
        events.record("Pod", "v1", meta, "Normal", "Expired", "TTL reached at " + at + "; deleted by " + settings.identity());
    }
}
