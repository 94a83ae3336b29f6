package io.liteboxd.controller.pool;

import static io.liteboxd.common.kubernetes.SandboxContract.*;

import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodCondition;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplate;
import io.liteboxd.common.kubernetes.QuotaConflicts;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.Informers;
import io.liteboxd.common.kubernetes.PoolStatus;
import io.liteboxd.common.kubernetes.SandboxPodStatus;
import io.liteboxd.common.workqueue.Reconciler;
import io.liteboxd.common.workqueue.WorkQueue;
import io.liteboxd.controller.ControllerSettings;
import io.liteboxd.controller.kubernetes.ControllerPodTemplates;
import io.liteboxd.controller.kubernetes.ControllerPods;
import io.liteboxd.controller.leader.Leadership;
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
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each warm pool at its size (docs/contract.md, Warm pools; docs/pools.md). The key is the
 * pool's PodTemplate; its events, its pods' and the creates counted by {@link PoolDemand} queue
 * it. The leader deletes the pool pods that failed, are of another pod-template hash (a new
 * template version rolls the pool) or are surplus (starting ones first), creates pods from the
 * PodTemplate until {@link PoolSizing}'s size is ready or starting, and reports a
 * {@link PoolStatus} on the PodTemplate when it changed. Without a PodTemplate, all of the pool's
 * pods go. Pods it created that the cache does not show yet count as starting (for at most a
 * minute), so a fast second pass never creates twice.
 */
@Singleton
@Requires(beans = Leadership.class)
public class PoolKeeper implements Reconciler<String> {

    private static final Logger LOG = LoggerFactory.getLogger(PoolKeeper.class);
    private static final Duration EXPECTATION = Duration.ofMinutes(1);
    private static final JSON KUBERNETES_JSON = new JSON();
    /** Weight of the newest refill time in the running average. */
    private static final double REFILL_WEIGHT = 0.3;

    private final SharedInformerFactory informers;
    private final ControllerPods pods;
    private final ControllerPodTemplates templates;
    private final CoreV1Api core;
    private final AnnotationPatcher annotations;
    private final LeaderLoops loops;
    private final PoolSettings poolSettings;
    private final String namespace;
    private final PoolDemand demand;
    /** Per pool key: names of pods this replica created that the cache may not show yet. */
    private final Map<String, Map<String, Instant>> expected = new ConcurrentHashMap<>();
    private final Map<String, Boolean> refillSeen = new ConcurrentHashMap<>();
    private final Counter created;
    private final Counter deleted;
    private volatile double refillSeconds;
    private WorkQueue<String> queue;

    PoolKeeper(SharedInformerFactory informers, ControllerPods pods, ControllerPodTemplates templates, CoreV1Api core,
               AnnotationPatcher annotations, LeaderLoops loops, PoolSettings poolSettings, ControllerSettings settings,
               MeterRegistry registry) {
        this.informers = informers;
        this.pods = pods;
        this.templates = templates;
        this.core = core;
        this.annotations = annotations;
        this.loops = loops;
        this.poolSettings = poolSettings;
        this.namespace = settings.sandboxNamespace();
        this.demand = new PoolDemand(poolSettings.demandWindow());
        this.refillSeconds = poolSettings.defaultRefill().toMillis() / 1000.0;
        this.created = Counter.builder("liteboxd.controller.pool.pods.created")
                .description("Pool pods created").register(registry);
        this.deleted = Counter.builder("liteboxd.controller.pool.pods.deleted")
                .description("Pool pods deleted (surplus, failed, outdated, pool gone)").register(registry);
    }

    @EventListener
    void onStartup(StartupEvent event) throws InterruptedException {
        var loop = loops.start("pool", 2, this, templates::keys);
        queue = loop.queue();
        templates.informer().addEventHandler(EnqueueKeys.own(queue, template -> true));
        pods.informer().addEventHandler(new EnqueueKeys<V1Pod>(queue, pod -> ControllerPods.POOL.test(pod)
                ? templates.keyOf(poolOf(pod.getMetadata())) : null));
        pods.informer().addEventHandler(new DemandFeed());
        Informers.startAndSync(informers, templates.informer(), "pool PodTemplate");
        Informers.startAndSync(informers, pods.informer(), "sandbox pod");
    }

    @Override
    public Result reconcile(String key) throws ApiException {
        String template = key.substring(key.indexOf('/') + 1).replaceFirst("^pool-", "");
        V1PodTemplate podTemplate = templates.informer().getIndexer().getByKey(key);
        List<V1Pod> members = pods.informer().getIndexer().list().stream()
                .filter(ControllerPods.POOL).filter(p -> template.equals(poolOf(p.getMetadata())))
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
        if (podTemplate == null) {
            for (V1Pod pod : members) {
                delete(pod, "pool removed");
            }
            expected.remove(key);
            return Result.done();
        }
        Map<String, String> meta = annotationsOf(podTemplate.getMetadata());
        String hash = meta.get(POOL_HASH);
        int min = intOf(meta.get(POOL_MIN_ANNOTATION));
        int max = Math.max(min, intOf(meta.get(POOL_MAX_ANNOTATION)));

        List<V1Pod> current = new ArrayList<>();
        for (V1Pod pod : members) {
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
                delete(pod, "pool pod ended (" + phase + ")");
            } else if (hash == null || !hash.equals(labelsOf(pod.getMetadata()).get(POOL_HASH))) {
                delete(pod, "outdated pod template");
            } else {
                current.add(pod);
                learnRefill(pod);
            }
        }
        Map<String, Instant> pending = expected.computeIfAbsent(key, k -> new ConcurrentHashMap<>());
        Instant now = Instant.now();
        current.forEach(p -> pending.remove(p.getMetadata().getName()));
        pending.values().removeIf(at -> at.isBefore(now.minus(EXPECTATION)));

        PoolDemand.Counts counts = demand.counts(template, now);
        double rate = counts.creates() / (double) demand.window().toSeconds();
        int desired = PoolSizing.desired(min, max, rate, refillSeconds, poolSettings.targetHitRatio());
        int ready = (int) current.stream().filter(PoolKeeper::ready).count();
        int have = current.size() + pending.size();
        if (have < desired) {
            for (int i = have; i < desired; i++) {
                create(key, podTemplate, template, pending);
            }
        } else if (have > desired) {
            // Starting pods first (they cost the least to lose), then the youngest.
            List<V1Pod> surplus = current.stream()
                    .sorted(Comparator.comparing(PoolKeeper::ready)
                            .thenComparing(p -> p.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()))
                    .limit(Math.min(current.size(), have - desired)).toList();
            for (V1Pod pod : surplus) {
                delete(pod, "pool surplus");
            }
        }
        int starting = Math.max(0, Math.min(desired, have) - ready);
        report(podTemplate, new PoolStatus(desired, ready, starting, counts.hits(), counts.misses(),
                (int) demand.window().toSeconds()));
        // The window slides: look again when the oldest counted create leaves it.
        return counts.creates() > 0 ? Result.at(now.plusSeconds(30)) : Result.done();
    }

    private void create(String key, V1PodTemplate podTemplate, String template, Map<String, Instant> pending)
            throws ApiException {
        var spec = podTemplate.getTemplate();
        // A copy: the cached object is never modified. client-java reads an absent overhead as
        // an empty map, which the API server refuses without a RuntimeClass that defines one.
        V1PodSpec podSpec = KUBERNETES_JSON.deserialize(KUBERNETES_JSON.serialize(spec.getSpec()), V1PodSpec.class);
        podSpec.setOverhead(null);
        V1Pod pod = new V1Pod()
                .metadata(new V1ObjectMeta().generateName(poolName(template) + "-").namespace(namespace)
                        .labels(new HashMap<>(labelsOf(spec.getMetadata())))
                        .annotations(new HashMap<>(annotationsOf(spec.getMetadata()))))
                .spec(podSpec);
        V1Pod made = QuotaConflicts.retrying(() -> core.createNamespacedPod(namespace, pod).execute());
        pending.put(made.getMetadata().getName(), Instant.now());
        created.increment();
        LOG.atInfo().addKeyValue("pool", template).log("pool {}: created {}", template, made.getMetadata().getName());
    }

    private void delete(V1Pod pod, String why) throws ApiException {
        var meta = pod.getMetadata();
        try {
            core.deleteNamespacedPod(meta.getName(), meta.getNamespace()).execute();
        } catch (ApiException e) {
            if (e.getCode() == 404) {
                return; // claimed and deleted, or gone already
            }
            throw e;
        }
        deleted.increment();
        LOG.atInfo().log("pool {}: deleted {}: {}", poolOf(meta), meta.getName(), why);
    }

    private void report(V1PodTemplate podTemplate, PoolStatus status) throws ApiException {
        String json = status.toJson();
        if (json.equals(annotationsOf(podTemplate.getMetadata()).get(POOL_STATUS_ANNOTATION))) {
            return;
        }
        try {
            annotations.podTemplate(namespace, podTemplate.getMetadata().getName(), Map.of(POOL_STATUS_ANNOTATION, json));
        } catch (ApiException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    /** Ready pool pods teach the refill time: creation to Ready, a running average. */
    private void learnRefill(V1Pod pod) {
        if (!ready(pod) || refillSeen.putIfAbsent(pod.getMetadata().getUid(), Boolean.TRUE) != null) {
            return;
        }
        OffsetDateTime createdAt = pod.getMetadata().getCreationTimestamp();
        pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(V1PodCondition::getLastTransitionTime).filter(t -> t != null && createdAt != null).findFirst()
                .ifPresent(readyAt -> {
                    double seconds = Math.max(0.5, Duration.between(createdAt, readyAt).toMillis() / 1000.0);
                    refillSeconds = refillSeconds * (1 - REFILL_WEIGHT) + seconds * REFILL_WEIGHT;
                });
    }

    static boolean ready(V1Pod pod) {
        return SandboxPodStatus.runningAndReady(pod);
    }

    private static int intOf(String value) {
        try {
            return value == null ? 0 : Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, String> labelsOf(V1ObjectMeta meta) {
        return meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    private static Map<String, String> annotationsOf(V1ObjectMeta meta) {
        return meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    }

    /** Counts claims and misses from sandbox pods as they appear, and queues their pool. */
    private final class DemandFeed implements ResourceEventHandler<V1Pod> {
        @Override
        public void onAdd(V1Pod pod) {
            count(pod);
        }

        @Override
        public void onUpdate(V1Pod oldPod, V1Pod newPod) {
            count(newPod);
        }

        @Override
        public void onDelete(V1Pod pod, boolean finalStateUnknown) {
        }

        private void count(V1Pod pod) {
            if (!ControllerPods.SANDBOX.test(pod)) {
                return;
            }
            Map<String, String> meta = annotationsOf(pod.getMetadata());
            String hit = meta.get(CLAIMED_FROM_ANNOTATION);
            String miss = meta.get(POOL_MISS_ANNOTATION);
            String pool = hit != null ? hit : miss;
            if (pool == null) {
                return;
            }
            Instant at = hit != null ? instant(meta.get(CLAIMED_AT_ANNOTATION)) : null;
            if (at == null && pod.getMetadata().getCreationTimestamp() != null) {
                at = pod.getMetadata().getCreationTimestamp().toInstant();
            }
            if (at != null && demand.record(pool, pod.getMetadata().getUid(), at, hit != null, Instant.now()) && queue != null) {
                queue.add(templates.keyOf(pool));
            }
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
