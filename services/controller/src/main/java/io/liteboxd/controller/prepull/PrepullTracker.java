package io.liteboxd.controller.prepull;

import static io.liteboxd.common.prepull.PrepullContract.*;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1ContainerStatus;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.PatchUtils;
import io.liteboxd.common.kubernetes.InformerClientFactory;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.controller.ControllerSettings;
import io.liteboxd.controller.DueAt;
import io.liteboxd.controller.kubernetes.ControllerPods;
import io.liteboxd.controller.kubernetes.ObjectEvents;
import io.liteboxd.controller.leader.Leadership;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.json.JsonMapper;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.DelayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-pull progress (our difference 6): for each pre-pull DaemonSet the leader reports nodes
 * done / nodes scheduled and the outcome on the DaemonSet, fails it with the kubelet's reason
 * ({@code ImagePullBackOff: ...}) once its timeout has passed, and deletes it after the API has
 * recorded the outcome. Driven by DaemonSet and pod events plus one timer per DaemonSet at its
 * deadline; evaluations are idempotent (a write happens only when the annotations differ).
 */
@Singleton
@Requires(beans = Leadership.class)
public class PrepullTracker implements Leadership.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(PrepullTracker.class);
    /** Waiting reasons that mean the image will not come (after the timeout) or never can (at once). */
    private static final Set<String> PULL_FAILURES = Set.of("ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull",
            "InvalidImageName", "RegistryUnavailable");
    private static final Set<String> HOPELESS = Set.of("InvalidImageName", "ErrImageNeverPull");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    /** A finished DaemonSet nobody records (its API record is gone) is removed after this. */
    static final Duration UNRECORDED_RETENTION = Duration.ofHours(1);
    /** When the outcome was reported (RFC 3339); the retention above counts from it. */
    static final String FINISHED_AT_ANNOTATION = "liteboxd.io/prepull-finished-at";

    private final SharedInformerFactory informers;
    private final ApiClient informerClient;
    private final ControllerPods controllerPods;
    private final AppsV1Api apps;
    private final ControllerSettings settings;
    private final Leadership leadership;
    private final JsonMapper json;
    private final MeterRegistry registry;
    private final ObjectEvents events;
    private final DelayQueue<DueAt> work = new DelayQueue<>();
    private SharedIndexInformer<V1DaemonSet> daemonSets;
    private SharedIndexInformer<V1Pod> pods;
    private Thread worker;

    PrepullTracker(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                   ControllerPods controllerPods, AppsV1Api apps, ControllerSettings settings, Leadership leadership,
                   JsonMapper json, MeterRegistry registry, ObjectEvents events) {
        this.events = events;
        this.informers = informers;
        this.informerClient = informerClient;
        this.controllerPods = controllerPods;
        this.apps = apps;
        this.settings = settings;
        this.leadership = leadership;
        this.json = json;
        this.registry = registry;
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        daemonSets = Informers.prepullDaemonSets(informers, informerClient, settings.sandboxNamespace());
        pods = controllerPods.informer();
        daemonSets.addEventHandler(handler(ds -> {
            now(ds.getMetadata().getName());
            work.add(new DueAt(ds.getMetadata().getName(), deadline(ds)));
        }));
        pods.addEventHandler(handler(pod -> {
            if (!ControllerPods.PREPULL.test(pod)) {
                return;
            }
            String id = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(ID_LABEL);
            if (id != null) {
                now(name(id));
            }
        }));
        leadership.addListener(this);
        worker = Thread.ofPlatform().name("prepull-tracker").daemon().start(this::run);
        Informers.startAndSync(informers, daemonSets, "pre-pull DaemonSet");
        Informers.startAndSync(informers, pods, "pre-pull pod");
    }

    @Override
    public void startedLeading() {
        daemonSets.getIndexer().list().forEach(ds -> now(ds.getMetadata().getName()));
    }

    private void now(String name) {
        work.add(new DueAt(name, Instant.now()));
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            DueAt due;
            try {
                due = work.take();
            } catch (InterruptedException e) {
                return;
            }
            if (!leadership.isLeader()) {
                continue;
            }
            V1DaemonSet ds = daemonSets.getIndexer().getByKey(settings.sandboxNamespace() + "/" + due.key());
            if (ds == null || ds.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            try {
                evaluate(ds);
            } catch (RuntimeException e) {
                LOG.error("pre-pull {}: evaluation failed", due.key(), e);
            }
        }
    }

    private void evaluate(V1DaemonSet ds) {
        Map<String, String> annotations = ds.getMetadata().getAnnotations() == null ? Map.of()
                : ds.getMetadata().getAnnotations();
        String status = annotations.get(STATUS_ANNOTATION);
        if (isFinal(status)) {
            Instant abandonAt = finishedAt(annotations).plus(UNRECORDED_RETENTION);
            if (status.equals(annotations.get(RECORDED_ANNOTATION)) || Instant.now().isAfter(abandonAt)) {
                delete(ds);
            } else {
                work.add(new DueAt(ds.getMetadata().getName(), abandonAt));
            }
            return;
        }
        var dsStatus = ds.getStatus();
        int total = dsStatus == null || dsStatus.getDesiredNumberScheduled() == null ? 0 : dsStatus.getDesiredNumberScheduled();
        int ready = dsStatus == null || dsStatus.getNumberReady() == null ? 0 : dsStatus.getNumberReady();
        boolean observed = dsStatus != null && Objects.equals(dsStatus.getObservedGeneration(), ds.getMetadata().getGeneration());
        Map<String, String> report = new LinkedHashMap<>();
        report.put(READY_ANNOTATION, Integer.toString(ready));
        report.put(TOTAL_ANNOTATION, Integer.toString(total));
        if (observed && total > 0 && ready >= total) {
            report.put(STATUS_ANNOTATION, COMPLETED);
        } else {
            String failure = pullFailure(ds, Instant.now().isAfter(deadline(ds)));
            if (failure != null) {
                report.put(STATUS_ANNOTATION, FAILED);
                report.put(ERROR_ANNOTATION, failure);
            } else if (Instant.now().isAfter(deadline(ds))) {
                report.put(STATUS_ANNOTATION, FAILED);
                report.put(ERROR_ANNOTATION, "timed out after " + timeout(ds).toSeconds() + "s with " + ready + " of "
                        + total + " nodes done");
            } else {
                report.put(STATUS_ANNOTATION, PULLING);
            }
        }
        boolean changed = report.entrySet().stream().anyMatch(e -> !e.getValue().equals(annotations.get(e.getKey())));
        if (changed) {
            boolean done = isFinal(report.get(STATUS_ANNOTATION));
            if (done) {
                report.put(FINISHED_AT_ANNOTATION, Instant.now().toString());
            }
            annotate(ds, report);
            if (done) {
                events.record("DaemonSet", "apps/v1", ds.getMetadata(), COMPLETED.equals(report.get(STATUS_ANNOTATION))
                        ? "Normal" : "Warning", COMPLETED.equals(report.get(STATUS_ANNOTATION)) ? "PrepullCompleted"
                        : "PrepullFailed", ready + " of " + total + " nodes"
                        + (report.containsKey(ERROR_ANNOTATION) ? ": " + report.get(ERROR_ANNOTATION) : ""));
                Counter.builder("liteboxd.controller.prepull.outcomes").tag("status", report.get(STATUS_ANNOTATION))
                        .register(registry).increment();
                LOG.atInfo().addKeyValue("prepull", ds.getMetadata().getName()).log("pre-pull {} {}: {} of {} nodes{}",
                        ds.getMetadata().getName(), report.get(STATUS_ANNOTATION), ready, total,
                        report.containsKey(ERROR_ANNOTATION) ? " (" + report.get(ERROR_ANNOTATION) + ")" : "");
            }
        }
    }

    /** The kubelet's reason for a pull that is not happening, once it counts as a failure. */
    private String pullFailure(V1DaemonSet ds, boolean pastDeadline) {
        String id = ds.getMetadata().getLabels() == null ? null : ds.getMetadata().getLabels().get(ID_LABEL);
        for (V1Pod pod : pods.getIndexer().list()) {
            if (!ControllerPods.PREPULL.test(pod) || pod.getMetadata().getLabels() == null || !Objects.equals(id, pod.getMetadata().getLabels().get(ID_LABEL))
                    || pod.getStatus() == null || pod.getStatus().getInitContainerStatuses() == null) {
                continue;
            }
            for (V1ContainerStatus container : pod.getStatus().getInitContainerStatuses()) {
                var waiting = container.getState() == null ? null : container.getState().getWaiting();
                if (!PULL_CONTAINER.equals(container.getName()) || waiting == null || waiting.getReason() == null
                        || !PULL_FAILURES.contains(waiting.getReason())) {
                    continue;
                }
                if (pastDeadline || HOPELESS.contains(waiting.getReason())) {
                    return waiting.getReason() + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage());
                }
            }
        }
        return null;
    }

    private void annotate(V1DaemonSet ds, Map<String, String> annotations) {
        try {
            String patch = json.writeValueAsString(Map.of("metadata", Map.of("annotations", annotations)));
            PatchUtils.patch(V1DaemonSet.class,
                    () -> apps.patchNamespacedDaemonSet(ds.getMetadata().getName(), ds.getMetadata().getNamespace(),
                            new V1Patch(patch)).buildCall(null),
                    V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, apps.getApiClient());
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                LOG.warn("pre-pull {}: reporting failed: HTTP {}", ds.getMetadata().getName(), e.getCode());
                work.add(new DueAt(ds.getMetadata().getName(), Instant.now().plus(settings.retryPeriod())));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The outcome is on record with the API: the DaemonSet (and its pods) can go. */
    private void delete(V1DaemonSet ds) {
        try {
            apps.deleteNamespacedDaemonSet(ds.getMetadata().getName(), ds.getMetadata().getNamespace())
                    .propagationPolicy("Background").execute();
            LOG.info("pre-pull {} recorded by the API; DaemonSet deleted", ds.getMetadata().getName());
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                LOG.warn("pre-pull {}: delete failed: HTTP {}", ds.getMetadata().getName(), e.getCode());
                work.add(new DueAt(ds.getMetadata().getName(), Instant.now().plus(settings.retryPeriod())));
            }
        }
    }

    private static Instant finishedAt(Map<String, String> annotations) {
        try {
            return Instant.parse(annotations.getOrDefault(FINISHED_AT_ANNOTATION, ""));
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.now(); // reported before this annotation existed: count from now
        }
    }

    private static Duration timeout(V1DaemonSet ds) {
        Map<String, String> annotations = ds.getMetadata().getAnnotations();
        try {
            long seconds = Long.parseLong(annotations == null ? "" : annotations.getOrDefault(TIMEOUT_ANNOTATION, ""));
            return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_TIMEOUT;
        } catch (NumberFormatException e) {
            return DEFAULT_TIMEOUT;
        }
    }

    private static Instant deadline(V1DaemonSet ds) {
        var created = ds.getMetadata().getCreationTimestamp();
        return (created == null ? Instant.now() : created.toInstant()).plus(timeout(ds));
    }

    private static <T extends io.kubernetes.client.common.KubernetesObject> ResourceEventHandler<T> handler(
            java.util.function.Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                onChange.accept(object);
            }

            @Override
            public void onUpdate(T oldObject, T newObject) {
                onChange.accept(newObject);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                // Nothing to track any more.
            }
        };
    }

    @PreDestroy
    void stop() {
        if (worker != null) {
            worker.interrupt();
        }
    }
}
