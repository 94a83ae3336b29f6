package io.liteboxd.controller.prepull;

import static io.liteboxd.common.prepull.PrepullContract.*;

import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.informer.cache.Caches;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.InformerClientFactory;
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
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-pull progress (our difference 6): for each pre-pull DaemonSet the leader reports nodes
 * done / nodes scheduled and the outcome on the DaemonSet ({@link PrepullReport}), fails it with
 * the kubelet's reason ({@code ImagePullBackOff: ...}) once its timeout has passed, and deletes it
 * after the API has recorded the outcome. DaemonSet and pod events queue the DaemonSet's key; a
 * pull in progress is looked at again at its deadline, a finished one an hour after it finished
 * (if nobody records it, its API record is gone). A write happens only when the annotations differ.
 */
@Singleton
@Requires(beans = Leadership.class)
public class PrepullTracker implements Reconciler<String> {

    private static final Logger LOG = LoggerFactory.getLogger(PrepullTracker.class);
    /** A finished DaemonSet nobody records (its API record is gone) is removed after this. */
    static final Duration UNRECORDED_RETENTION = Duration.ofHours(1);
    /** When the outcome was reported (RFC 3339); the retention above counts from it. */
    static final String FINISHED_AT_ANNOTATION = "liteboxd.io/prepull-finished-at";

    private final SharedInformerFactory informers;
    private final ApiClient informerClient;
    private final ControllerPods controllerPods;
    private final AppsV1Api apps;
    private final AnnotationPatcher annotations;
    private final ControllerSettings settings;
    private final LeaderLoops loops;
    private final MeterRegistry registry;
    private final ObjectEvents events;
    /** DaemonSets whose outcome this replica reported, and ones it deleted, ahead of the cache. */
    private final ActedOn reported = new ActedOn();
    private final ActedOn deleted = new ActedOn();
    private SharedIndexInformer<V1DaemonSet> daemonSets;
    private SharedIndexInformer<V1Pod> pods;

    PrepullTracker(SharedInformerFactory informers, @Named(InformerClientFactory.INFORMER) ApiClient informerClient,
                   ControllerPods controllerPods, AppsV1Api apps, AnnotationPatcher annotations,
                   ControllerSettings settings, LeaderLoops loops, MeterRegistry registry, ObjectEvents events) {
        this.informers = informers;
        this.informerClient = informerClient;
        this.controllerPods = controllerPods;
        this.apps = apps;
        this.annotations = annotations;
        this.settings = settings;
        this.loops = loops;
        this.registry = registry;
        this.events = events;
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        daemonSets = Informers.prepullDaemonSets(informers, informerClient, settings.sandboxNamespace());
        pods = controllerPods.informer();
        var loop = loops.start("prepull", 1, this,
                () -> daemonSets.getIndexer().list().stream().map(Caches::metaNamespaceKeyFunc).toList());
        daemonSets.addEventHandler(EnqueueKeys.own(loop.queue(), ds -> true));
        // A pod's pull progress is its DaemonSet's business.
        pods.addEventHandler(new EnqueueKeys<>(loop.queue(), PrepullTracker::daemonSetKey));
        Informers.startAndSync(informers, daemonSets, "pre-pull DaemonSet");
        Informers.startAndSync(informers, pods, "pre-pull pod");
    }

    private static String daemonSetKey(V1Pod pod) {
        String id = ControllerPods.PREPULL.test(pod) ? pod.getMetadata().getLabels().get(ID_LABEL) : null;
        return id == null ? null : pod.getMetadata().getNamespace() + "/" + name(id);
    }

    @Override
    public Result reconcile(String key) throws ApiException {
        V1DaemonSet ds = daemonSets.getIndexer().getByKey(key);
        if (ds == null || ds.getMetadata().getDeletionTimestamp() != null || deleted.includes(key, ds)) {
            return Result.done();
        }
        Instant now = Instant.now();
        Map<String, String> current = Objects.requireNonNullElse(ds.getMetadata().getAnnotations(), Map.of());
        String status = current.get(STATUS_ANNOTATION);
        if (isFinal(status)) {
            // Reported before the finished-at annotation existed: count from now.
            Instant abandonAt = Annotations.instant(ds, FINISHED_AT_ANNOTATION).orElse(now).plus(UNRECORDED_RETENTION);
            if (status.equals(current.get(RECORDED_ANNOTATION)) || now.isAfter(abandonAt)) {
                delete(key, ds);
                return Result.done();
            }
            return Result.at(abandonAt);
        }
        if (reported.includes(key, ds)) {
            return Result.done(); // the outcome is written; its event brings the key back
        }
        PrepullReport report = PrepullReport.of(ds, podsOf(ds), now);
        if (report.differsFrom(current)) {
            write(key, ds, report, now);
        }
        return report.isFinal() ? Result.done() : Result.at(PrepullReport.deadline(ds));
    }

    private List<V1Pod> podsOf(V1DaemonSet ds) {
        String id = ds.getMetadata().getLabels() == null ? null : ds.getMetadata().getLabels().get(ID_LABEL);
        if (id == null) {
            return List.of();
        }
        return pods.getIndexer().list().stream().filter(ControllerPods.PREPULL)
                .filter(pod -> id.equals(pod.getMetadata().getLabels().get(ID_LABEL)))
                .toList();
    }

    private void write(String key, V1DaemonSet ds, PrepullReport report, Instant now) throws ApiException {
        String name = ds.getMetadata().getName();
        Map<String, String> patch = new LinkedHashMap<>(report.annotations());
        if (report.isFinal()) {
            patch.put(FINISHED_AT_ANNOTATION, now.toString());
        }
        try {
            annotations.daemonSet(ds.getMetadata().getNamespace(), name, patch);
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return; // deleted meanwhile
            }
            throw e;
        }
        if (!report.isFinal()) {
            return;
        }
        reported.add(key, ds);
        boolean completed = COMPLETED.equals(report.status());
        String error = report.error() == null ? "" : ": " + report.error();
        events.record("DaemonSet", "apps/v1", ds.getMetadata(), completed ? "Normal" : "Warning",
                completed ? "PrepullCompleted" : "PrepullFailed", report.ready() + " of " + report.total() + " nodes" + error);
        Counter.builder("liteboxd.controller.prepull.outcomes").tag("status", report.status()).register(registry).increment();
        LOG.atInfo().addKeyValue("prepull", name).log("pre-pull {} {}: {} of {} nodes{}", name, report.status(),
                report.ready(), report.total(), report.error() == null ? "" : " (" + report.error() + ")");
    }

    /** The outcome is on record with the API (or abandoned): the DaemonSet and its pods can go. */
    private void delete(String key, V1DaemonSet ds) throws ApiException {
        String name = ds.getMetadata().getName();
        try {
            apps.deleteNamespacedDaemonSet(name, ds.getMetadata().getNamespace()).propagationPolicy("Background").execute();
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return;
            }
            throw e;
        }
        deleted.add(key, ds);
        LOG.info("pre-pull {} recorded by the API; DaemonSet deleted", name);
    }
}
