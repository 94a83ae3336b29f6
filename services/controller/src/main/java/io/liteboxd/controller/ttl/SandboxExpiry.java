package io.liteboxd.controller.ttl;

import static io.liteboxd.common.kubernetes.SandboxContract.DELETION_REASON_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.EXPIRES_AT_ANNOTATION;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DeleteOptions;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Preconditions;
import io.kubernetes.client.util.PatchUtils;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.controller.ControllerSettings;
import io.liteboxd.controller.DueAt;
import io.liteboxd.controller.kubernetes.ControllerPods;
import io.liteboxd.controller.kubernetes.ObjectEvents;
import io.liteboxd.controller.leader.Leadership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TTL expiry, event-driven: the pod informer puts every sandbox pod with a
 * {@code liteboxd.io/expires-at} into a delay queue, and one thread takes each as its instant
 * comes. The leader then deletes the pod (after writing {@code liteboxd.io/deletion-reason:
 * ttl expired}, which the API copies into the history), with the pod's UID as a precondition so
 * a replacement of the same name is never hit; standbys drop what they take. A replica that
 * becomes leader requeues the whole cache, so expiries that passed meanwhile are not missed.
 * Restarts lose nothing: the informer's first list queues every pod again.
 */
@Singleton
@Requires(beans = Leadership.class)
public class SandboxExpiry implements ResourceEventHandler<V1Pod>, Leadership.Listener {

    static final String REASON = "ttl expired";
    private static final Logger LOG = LoggerFactory.getLogger(SandboxExpiry.class);

    private final SharedInformerFactory informers;
    private final ControllerPods controllerPods;
    private final CoreV1Api core;
    private final ControllerSettings settings;
    private final Leadership leadership;
    private final ObjectEvents events;
    private final DelayQueue<DueAt> queue = new DelayQueue<>();
    /** The instant each pod is queued for; a queue entry that no longer matches is stale. */
    private final Map<String, Instant> scheduled = new ConcurrentHashMap<>();
    private final Counter expiries;
    private final Timer lateness;
    private SharedIndexInformer<V1Pod> pods;
    private Thread worker;

    SandboxExpiry(SharedInformerFactory informers, ControllerPods controllerPods,
                  CoreV1Api core, ControllerSettings settings, Leadership leadership, ObjectEvents events,
                  MeterRegistry registry) {
        this.events = events;
        this.informers = informers;
        this.controllerPods = controllerPods;
        this.core = core;
        this.settings = settings;
        this.leadership = leadership;
        this.expiries = Counter.builder("liteboxd.controller.expiries").description("Sandboxes deleted at their TTL")
                .register(registry);
        this.lateness = Timer.builder("liteboxd.controller.expiry.lateness")
                .description("From a sandbox's expires-at to its deletion").publishPercentileHistogram()
                .register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        pods = controllerPods.informer();
        pods.addEventHandler(this);
        leadership.addListener(this);
        worker = Thread.ofPlatform().name("ttl-expiry").daemon().start(this::work);
        Informers.startAndSync(informers, pods, "sandbox pod");
    }

    @Override
    public void onAdd(V1Pod pod) {
        if (ControllerPods.SANDBOX.test(pod)) {
            schedule(pod);
        }
    }

    @Override
    public void onUpdate(V1Pod oldPod, V1Pod newPod) {
        if (ControllerPods.SANDBOX.test(newPod)) {
            schedule(newPod);
        }
    }

    @Override
    public void onDelete(V1Pod pod, boolean finalStateUnknown) {
        scheduled.remove(key(pod));
    }

    @Override
    public void startedLeading() {
        // Expiries that a standby dropped (or that passed while nobody led) are due now.
        pods.getIndexer().list().stream().filter(ControllerPods.SANDBOX).forEach(this::requeue);
    }

    private void schedule(V1Pod pod) {
        Instant at = expiresAt(pod);
        String key = key(pod);
        if (at == null || pod.getMetadata().getDeletionTimestamp() != null) {
            scheduled.remove(key);
            return;
        }
        if (!at.equals(scheduled.put(key, at))) {
            queue.add(new DueAt(key, at));
        }
    }

    private void requeue(V1Pod pod) {
        scheduled.remove(key(pod));
        schedule(pod);
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            DueAt due;
            try {
                due = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (!due.at().equals(scheduled.get(due.key())) || !leadership.isLeader()) {
                continue; // stale, or not ours to act on
            }
            V1Pod pod = pods.getIndexer().getByKey(due.key());
            Instant at = pod == null ? null : expiresAt(pod);
            // A retry is due after the expiry itself, so compare with the annotation, not the entry.
            if (pod == null || at == null || at.isAfter(Instant.now()) || pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            try {
                expire(pod, at);
            } catch (RuntimeException e) {
                LOG.error("expiring {} failed", due.key(), e);
            }
        }
    }

    private void expire(V1Pod pod, Instant at) {
        var meta = pod.getMetadata();
        String name = meta.getName();
        String namespace = meta.getNamespace();
        try {
            String patch = "{\"metadata\":{\"annotations\":{\"" + DELETION_REASON_ANNOTATION + "\":\"" + REASON + "\"}}}";
            PatchUtils.patch(V1Pod.class,
                    () -> core.patchNamespacedPod(name, namespace, new V1Patch(patch)).buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, core.getApiClient());
            core.deleteNamespacedPod(name, namespace)
                    .body(new V1DeleteOptions().preconditions(new V1Preconditions().uid(meta.getUid())))
                    .execute();
        } catch (ApiException e) {
            if (e.getCode() == 404 || e.getCode() == 409) {
                return; // already gone, or replaced by a pod of the same name
            }
            LOG.warn("deleting expired {}/{} failed: HTTP {}; retrying in {}", namespace, name, e.getCode(),
                    settings.retryPeriod());
            Instant retry = Instant.now().plus(settings.retryPeriod());
            scheduled.put(key(pod), retry);
            queue.add(new DueAt(key(pod), retry));
            return;
        }
        Duration late = Duration.between(at, Instant.now());
        expiries.increment();
        lateness.record(late.isNegative() ? Duration.ZERO : late);
        LOG.atInfo().addKeyValue("pod", name).addKeyValue("lateness_ms", late.toMillis()).log("expired {}", name);
        events.record("Pod", "v1", meta, "Normal", "Expired", "TTL reached at " + at + "; deleted by " + settings.identity());
    }

    static Instant expiresAt(V1Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(EXPIRES_AT_ANNOTATION);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String key(V1Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    @PreDestroy
    void stop() {
        if (worker != null) {
            worker.interrupt();
        }
    }
}
