package io.liteboxd.api.egress;

import static io.liteboxd.common.kubernetes.SandboxContract.ALLOWED_DOMAINS_ANNOTATION;

import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.sandbox.SandboxPodCache;
import io.liteboxd.api.sandbox.SandboxRepository;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.liteboxd.api.template.AllowedDomainRules;
import io.liteboxd.common.kubernetes.AllowedDomains;
import io.liteboxd.common.kubernetes.AnnotationPatcher;
import io.liteboxd.common.kubernetes.Annotations;
import io.liteboxd.common.kubernetes.PersistentDeployment;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.kubernetes.client.openapi.models.V1Pod;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running sandbox's domain allowlist, edited live: the API rewrites the pod's
 * {@code liteboxd.io/allowed-domains} annotation (docs/contract.md) and the egress proxy, which
 * reads it from its pod informer on every request, applies it within the informer's latency; the
 * pod is not restarted. Only a sandbox that is already behind the proxy can be edited: whether a
 * sandbox has no way out, the whole internet or the proxy is its template's choice and its
 * NetworkPolicy's, which a label decides at creation.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class SandboxAllowlists {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxAllowlists.class);
    /** As many names as a template may list is not capped upstream; an annotation is (256 KiB in all). */
    static final int MAX_DOMAINS = 256;

    private final SandboxRepository sandboxes;
    private final SandboxPodCache pods;
    private final AnnotationPatcher annotations;

    SandboxAllowlists(SandboxRepository sandboxes, SandboxPodCache pods, AnnotationPatcher annotations) {
        this.sandboxes = sandboxes;
        this.pods = pods;
        this.annotations = annotations;
    }

    public List<String> current(String sandboxId) {
        V1Pod pod = proxiedPod(sandboxId);
        return AllowedDomains.parse(Annotations.get(pod, ALLOWED_DOMAINS_ANNOTATION)).orElse(List.of());
    }

    public List<String> replace(String sandboxId, List<String> requested) {
        if (requested == null) {
            throw ApiException.badRequest("allowedDomains is required");
        }
        if (requested.size() > MAX_DOMAINS) {
            throw ApiException.badRequest("allowedDomains has more than " + MAX_DOMAINS + " entries");
        }
        List<String> domains;
        try {
            domains = AllowedDomainRules.normalize(requested);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        V1Pod pod = proxiedPod(sandboxId);
        if (PersistentDeployment.isPersistent(pod)) {
            // Its pods come from a Deployment's template, and editing that template restarts the pod.
            throw new ApiException(HttpStatus.CONFLICT, "the allowlist of a persistent sandbox cannot be edited yet");
        }
        try {
            annotations.pod(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    Map.of(ALLOWED_DOMAINS_ANNOTATION, AllowedDomains.format(domains)));
        } catch (io.kubernetes.client.openapi.ApiException e) {
            if (e.getCode() == 404) {
                throw new ApiException(HttpStatus.CONFLICT, "sandbox has no pod");
            }
            LOG.warn("allowlist of sandbox {} not written: HTTP {}", sandboxId, e.getCode());
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the allowlist could not be written, try again");
        }
        LOG.info("allowlist of sandbox {} set to {} domain(s)", sandboxId, domains.size());
        return domains;
    }

    private V1Pod proxiedPod(String sandboxId) {
        sandboxes.findById(sandboxId).filter(s -> !s.isDeleted())
                .orElseThrow(() -> ApiException.notFound("sandbox not found"));
        V1Pod pod = pods.pod(sandboxId)
                .orElseThrow(() -> new ApiException(HttpStatus.CONFLICT, "sandbox has no pod"));
        if (!SandboxContract.behindEgressProxy(pod.getMetadata())) {
            throw new ApiException(HttpStatus.CONFLICT,
                    "sandbox has no domain allowlist: its template's network decides its egress");
        }
        return pod;
    }
}
