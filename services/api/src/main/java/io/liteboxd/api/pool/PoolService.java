package io.liteboxd.api.pool;

import static io.liteboxd.common.kubernetes.SandboxContract.*;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodTemplate;
import io.liteboxd.api.prepull.PrepullService;
import io.liteboxd.api.sandbox.SandboxService;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.liteboxd.api.template.TemplateChanged;
import io.liteboxd.api.template.TemplateException;
import io.liteboxd.api.template.TemplateService;
import io.liteboxd.api.template.TemplateSpec;
import io.liteboxd.common.kubernetes.PoolStatus;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warm pools through the API (docs/pools.md): set, read and remove a template's pool, and keep
 * its PodTemplate on the template's current version. Setting a new pool also starts a pre-pull of
 * its image. The pool's pods themselves are the controller's (PoolKeeper); claims are
 * {@link PoolClaims}'.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class PoolService {

    private static final Logger LOG = LoggerFactory.getLogger(PoolService.class);

    private final PoolTemplates pools;
    private final PoolPodCache pods;
    private final TemplateService templates;
    private final SandboxService sandboxes;
    private final BeanProvider<PrepullService> prepull;

    PoolService(PoolTemplates pools, PoolPodCache pods, TemplateService templates, SandboxService sandboxes,
                BeanProvider<PrepullService> prepull) {
        this.pools = pools;
        this.pods = pods;
        this.templates = templates;
        this.sandboxes = sandboxes;
        this.prepull = prepull;
    }

    public PoolViews.PoolView set(String template, PoolViews.PoolRequest request) {
        TemplateSpec.Pool bounds = new TemplateSpec.Pool(request == null ? null : request.min(),
                request == null ? null : request.max());
        bounds.problem().ifPresent(problem -> {
            throw TemplateException.badRequest(problem);
        });
        var resolved = templates.resolve(template, 0).orElseThrow(() -> TemplateException.notFound(template));
        if (persistent(resolved)) {
            throw TemplateException.badRequest("a persistent template cannot have a pool");
        }
        V1Pod pod = sandboxes.poolPod(resolved);
        write(resolved, bounds.minOrZero(), bounds.maxOrMin(), pod);
        return view(template, resolved.version(), bounds.minOrZero(), bounds.maxOrMin(), null);
    }

    public PoolViews.PoolView get(String template) {
        var resolved = templates.resolve(template, 0).orElseThrow(() -> TemplateException.notFound(template));
        V1PodTemplate pool;
        try {
            pool = pools.getWritten(template).orElseThrow(() ->
                    new TemplateException(HttpStatus.NOT_FOUND, "POOL_NOT_FOUND", "template '" + template + "' has no pool"));
        } catch (ApiException e) {
            throw new TemplateException(HttpStatus.INTERNAL_SERVER_ERROR, "KUBERNETES_ERROR", "failed to read the pool");
        }
        Map<String, String> meta = pool.getMetadata().getAnnotations() == null ? Map.of() : pool.getMetadata().getAnnotations();
        return view(template, resolved.version(), intOf(meta.get(POOL_MIN_ANNOTATION)), intOf(meta.get(POOL_MAX_ANNOTATION)),
                PoolStatus.parse(meta.get(POOL_STATUS_ANNOTATION)));
    }

    public void delete(String template) {
        if (!templates.exists(template)) {
            throw TemplateException.notFound(template);
        }
        try {
            pools.delete(template);
        } catch (ApiException e) {
            throw new TemplateException(HttpStatus.INTERNAL_SERVER_ERROR, "KUBERNETES_ERROR", "failed to delete the pool");
        }
    }

    /**
     * A new API version may build sandbox pods differently (hardening, launcher, caps from the
     * chart): each replica renders every pool once at start, so pool pods follow the pods creates
     * now make (an unchanged hash writes nothing the controller acts on). The bounds stay as they
     * are: a {@code spec.pool} applies when its version becomes current, not at every start, so a
     * pool set or removed through the API stays so.
     */
    @EventListener
    void onStartup(ServerStartupEvent event) {
        Thread.ofVirtual().name("pool-render").start(() -> {
            for (V1PodTemplate pool : pools.all()) {
                String name = poolOf(pool.getMetadata());
                if (name != null) {
                    sync(name, !templates.exists(name), false);
                }
            }
        });
    }

    /**
     * A new current version renders the pool again (a changed pod rolls it) and applies the
     * version's {@code spec.pool}, creating the pool if needed; a deleted template loses it.
     */
    @TransactionalEventListener
    void onTemplateChanged(TemplateChanged change) {
        sync(change.name(), change.deleted(), true);
    }

    private void sync(String name, boolean deleted, boolean applySpecPool) {
        try {
            var existing = pools.get(name);
            var resolved = deleted ? null : templates.resolve(name, 0).orElse(null);
            TemplateSpec.Pool declared = applySpecPool && resolved != null ? resolved.spec().pool() : null;
            if (existing.isEmpty() && declared == null) {
                return;
            }
            if (resolved == null || persistent(resolved)) {
                if (existing.isPresent()) {
                    pools.delete(name);
                }
                return;
            }
            Map<String, String> meta = existing.map(t -> t.getMetadata().getAnnotations()).orElse(Map.of());
            int currentMin = intOf(meta.get(POOL_MIN_ANNOTATION));
            int currentMax = intOf(meta.get(POOL_MAX_ANNOTATION));
            int min = declared != null ? declared.minOrZero() : currentMin;
            int max = declared != null ? declared.maxOrMin() : currentMax;
            V1Pod pod = sandboxes.poolPod(resolved);
            if (existing.isPresent() && PoolShape.hash(pod).equals(meta.get(POOL_HASH)) && min == currentMin && max == currentMax) {
                return;
            }
            write(resolved, min, max, pod);
        } catch (ApiException | RuntimeException e) {
            LOG.warn("pool {}: not updated after the template changed: {}", name, e.getMessage());
        }
    }

    /** Writes the pool's PodTemplate; a pool that did not exist before also starts a pre-pull of its image. */
    private void write(TemplateService.Resolved template, int min, int max, V1Pod pod) {
        boolean created;
        try {
            created = pools.write(template.name(), min, max, PoolShape.hash(pod), PoolShape.poolPod(template.name(), pod));
        } catch (ApiException e) {
            LOG.warn("pool {}: writing its PodTemplate failed: {} {}", template.name(), e.getCode(), e.getResponseBody());
            throw new TemplateException(HttpStatus.INTERNAL_SERVER_ERROR, "KUBERNETES_ERROR", "failed to write the pool");
        }
        if (created && prepull.isPresent()) {
            try {
                prepull.get().start(template.spec().image(), template.name(), null);
            } catch (RuntimeException e) {
                LOG.warn("pool {}: the pre-pull of {} did not start: {}", template.name(), template.spec().image(),
                        e.getMessage());
            }
        }
    }

    private static boolean persistent(TemplateService.Resolved template) {
        return template.spec().persistence() != null && template.spec().persistence().enabled();
    }

    private PoolViews.PoolView view(String template, int version, int min, int max, PoolStatus status) {
        int ready = 0;
        int starting = 0;
        for (V1Pod pod : pods.all(template)) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if (PoolPodCache.ready(pod)) {
                ready++;
            } else {
                starting++;
            }
        }
        Double ratio = status == null || status.hits() + status.misses() == 0 ? null
                : status.hits() / (double) (status.hits() + status.misses());
        return new PoolViews.PoolView(template, version, min, max, status == null ? null : status.desired(), ready, starting,
                status == null ? null : status.hits(), status == null ? null : status.misses(), ratio,
                status == null ? null : status.window());
    }

    private static int intOf(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
