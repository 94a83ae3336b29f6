package io.liteboxd.api.sandbox;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.auth.Secrets;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.hardening.SandboxPodHardening;
import io.liteboxd.api.runtime.SandboxRuntime;
import io.liteboxd.api.limits.SandboxCaps;
import io.liteboxd.api.storage.TimeText;
import io.liteboxd.api.template.TemplateService;
import io.liteboxd.api.template.TemplateSpec;
import io.liteboxd.common.kubernetes.QuotaConflicts;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.liteboxd.common.kubernetes.SandboxPodStatus;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating and deleting sandboxes (spec §3.1, §3.4). Everything is validated ({@link SandboxPlan},
 * the caps) before the first write; the row is written only within the live-sandbox cap
 * ({@link SandboxAdmission}), then the pod is created (a persistent sandbox's Deployment and
 * claim: {@link PersistentSandboxes}), and from there on the informers ({@link SandboxStatusSync},
 * {@link PersistentStatusSync}) move the row through its states.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class SandboxService {

    /** ttl 0 means "never expires", stored as upstream does. */
    static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");
    private static final int ID_ATTEMPTS = 5;
    private static final int TOKEN_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(SandboxService.class);

    private final SandboxRepository sandboxes;
    private final StatusHistoryRepository history;
    private final TemplateService templates;
    private final TokenCipher cipher;
    private final CoreV1Api core;
    private final SandboxSettings settings;
    private final JsonMapper json;
    private final SandboxCaps caps;
    private final SandboxAdmission admission;
    private final SandboxPodHardening hardening;
    private final SandboxRuntime runtime;
    private final PersistentSandboxes persistent;
    private final SandboxPools pools;
    private final TimeToRunning timeToRunning;
    private final SandboxEgressSettings egress;

    SandboxService(SandboxRepository sandboxes, StatusHistoryRepository history, TemplateService templates,
                   TokenCipher cipher, CoreV1Api core, SandboxSettings settings, JsonMapper json, SandboxCaps caps,
                   SandboxAdmission admission, SandboxPodHardening hardening, SandboxRuntime runtime,
                   PersistentSandboxes persistent, SandboxPools pools, TimeToRunning timeToRunning,
                   SandboxEgressSettings egress) {
        this.timeToRunning = timeToRunning;
        this.egress = egress;
        this.persistent = persistent;
        this.pools = pools;
        this.sandboxes = sandboxes;
        this.history = history;
        this.templates = templates;
        this.cipher = cipher;
        this.core = core;
        this.settings = settings;
        this.json = json;
        this.caps = caps;
        this.admission = admission;
        this.hardening = hardening;
        this.runtime = runtime;
    }

    /** A created sandbox, its plaintext token (returned once to the caller, never stored) and how it was made. */
    public record Created(Sandbox sandbox, String token, CreatePath path) {}

    /**
     * A sandbox of {@code template} made exactly as a user's (caps, hardening, runtime, network
     * policies) but with its own {@code ttl}, so it expires even if nobody deletes it: the isolation
     * self-test's probe.
     */
    public Created createProbe(String template, int version, int ttl) {
        return create(new SandboxViews.CreateRequest(template, version,
                new SandboxViews.Overrides(null, null, ttl, null, null, null)));
    }

    Created create(SandboxViews.CreateRequest request) {
        if (request.template() == null || request.template().isBlank()) {
            throw ApiException.badRequest("template is required");
        }
        int requestedVersion = request.templateVersion() == null ? 0 : request.templateVersion();
        if (requestedVersion < 0) {
            throw ApiException.badRequest("templateVersion must be >= 0");
        }
        var resolved = templates.resolve(request.template(), requestedVersion).orElseThrow(() ->
                templates.exists(request.template())
                        ? ApiException.notFound("version " + requestedVersion
                                + " not found for template '" + request.template() + "'")
                        : ApiException.notFound("template '" + request.template() + "' not found"));
        TemplateSpec spec = resolved.spec();
        SandboxPlan plan = SandboxPlan.of(spec, request.overrides(), caps);
        String runtimeClass = runtime.resolve(spec.runtimeClassName()).orElse(null);
        if (runtimeClass != null) {
            runtime.problem(runtimeClass).ifPresent(problem -> {
                throw ApiException.badRequest(problem);
            });
        }

        String id = newId();
        String token = Secrets.randomHex(TOKEN_BYTES);
        TokenCipher.Sealed sealed = cipher.seal(token);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant expiresAt = plan.ttl() == 0 ? NEVER : now.plusSeconds(plan.ttl());
        String podName = SandboxContract.podName(id);
        SandboxBuilder builder = Sandbox.builder().id(id).template(resolved.name(), resolved.version()).image(spec.image())
                .resources(plan.cpu(), plan.memory()).ttl(plan.ttl()).envJson(write(plan.env()))
                .state(Sandbox.ACTIVE, LifecycleStatus.CREATING).pod(settings.namespace(), podName)
                .token(sealed.ciphertext(), sealed.nonce(), sealed.keyId(), Secrets.sha256Hex(token))
                .accessUrl(settings.gatewayUrl() + "/api/v1/sandbox/" + id).times(now, expiresAt);
        if (plan.persistent()) {
            builder.persistent(spec.persistence().mode() == null ? "rootfs-overlay" : spec.persistence().mode(),
                            plan.volume().size(), plan.volume().storageClassName())
                    .volume(SandboxContract.claimName(id), plan.volume().reclaimPolicy());
        }
        Sandbox row = builder.build();
        admission.admit(row, StatusHistory.of(id, "api", "", LifecycleStatus.CREATING.wire(), "create requested", now));

        SandboxPods.Plan podPlan = new SandboxPods.Plan(id, settings.namespace(), resolved.name(),
                resolved.version(), spec, plan.cpu(), plan.memory(), plan.ttl(), plan.env(),
                row.accessTokenSha256(), now, expiresAt, now.plusSeconds(plan.startupTimeout()), caps.requestRatio(),
                runtimeClass, egress.proxyUrl());
        if (plan.persistent()) {
            persistent.create(row, podPlan, plan);
            return new Created(sandboxes.findById(id).orElseThrow(), token, CreatePath.COLD);
        }
        V1Pod pod = SandboxPods.build(podPlan, hardening, settings.launcherImage());
        Optional<V1Pod> claimed = pools.claim(resolved.name(), pod, now);
        if (claimed.isPresent()) {
            V1Pod claimedPod = claimed.get();
            Instant at = Instant.now();
            sandboxes.setPodName(id, claimedPod.getMetadata().getName());
            String status = SandboxPodStatus.of(claimedPod).wire();
            if (sandboxes.observe(id, LifecycleStatus.CREATING.wire(), status, "", claimedPod.getMetadata().getUid(),
                    phase(claimedPod), podIp(claimedPod), TimeText.format(at)) > 0) {
                timeToRunning.moved(row, LifecycleStatus.CREATING.wire(), status, at);
                history.save(StatusHistory.of(id, "api", LifecycleStatus.CREATING.wire(), status,
                        "claimed pool pod " + claimedPod.getMetadata().getName(), at));
            }
            return new Created(sandboxes.findById(id).orElseThrow(), token, CreatePath.POOL);
        }
        try {
            V1Pod createdPod = QuotaConflicts.retrying(() -> core.createNamespacedPod(settings.namespace(), pod).execute());
            String status = SandboxPodStatus.of(createdPod).wire();
            Instant at = Instant.now();
            if (sandboxes.observe(id, LifecycleStatus.CREATING.wire(), status, "", createdPod.getMetadata().getUid(), phase(createdPod), "",
                    TimeText.format(at)) > 0) {
                history.save(StatusHistory.of(id, "api", LifecycleStatus.CREATING.wire(), status, "pod created", at));
            }
        } catch (io.kubernetes.client.openapi.ApiException e) {
            String reason = "failed to create pod: " + kubernetesMessage(e);
            sandboxes.setStatus(id, LifecycleStatus.FAILED.wire(), reason, TimeText.format(Instant.now()));
            history.save(StatusHistory.of(id, "api", LifecycleStatus.CREATING.wire(), LifecycleStatus.FAILED.wire(), reason,
                    Instant.now()));
            LOG.warn("sandbox {}: {}", id, reason);
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, reason);
        }
        return new Created(sandboxes.findById(id).orElseThrow(), token, CreatePath.COLD);
    }

    /**
     * Asynchronous delete: the row turns terminating now, the informer finishes the job (the pod's
     * deletion, or a persistent sandbox's Deployment's). The answer is the row as this request left
     * it (terminating, as upstream answers): read before the Kubernetes delete, whose watch event
     * can mark the row deleted before a later read.
     */
    public Sandbox delete(String id) {
        Sandbox row = sandboxes.findById(id)
                .orElseThrow(() -> ApiException.notFound("sandbox not found"));
        if (Sandbox.DELETED.equals(row.desiredState()) || row.isDeleted()) {
            return row;
        }
        Instant now = Instant.now();
        if (sandboxes.markDeleteRequested(id, "delete requested", TimeText.format(now)) > 0) {
            history.save(StatusHistory.of(id, "api", row.lifecycleStatus(), LifecycleStatus.TERMINATING.wire(),
                    "delete requested", now));
        }
        Sandbox requested = sandboxes.findById(id).orElseThrow();
        try {
            if (row.isPersistent()) {
                persistent.deleteDeployment(row);
            } else {
                core.deleteNamespacedPod(row.podName(), row.clusterNamespace()).execute();
            }
        } catch (io.kubernetes.client.openapi.ApiException e) {
            if (e.getCode() != HttpStatus.NOT_FOUND.getCode()) {
                LOG.warn("sandbox {}: deleting its {} failed: {}", id, row.isPersistent() ? "Deployment" : "pod",
                        kubernetesMessage(e));
                throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "failed to delete sandbox");
            }
            // Already gone: nothing will report the deletion, so finish it here (once, if another
            // replica or the informer did not just do it).
            if (sandboxes.markDeleted(id, "delete completed", TimeText.format(Instant.now())) > 0) {
                history.save(StatusHistory.of(id, "system", LifecycleStatus.TERMINATING.wire(),
                        LifecycleStatus.DELETED.wire(), "delete completed", Instant.now()));
            }
        }
        return requested;
    }

    /** The token of a sandbox, decrypted from its row (upstream returns it on GET). */
    String token(Sandbox row) {
        return cipher.open(row.accessTokenCiphertext(), row.accessTokenNonce());
    }

    private String newId() {
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            if (!sandboxes.existsById(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free sandbox id after " + ID_ATTEMPTS + " attempts");
    }

    /**
     * The pod a sandbox of {@code resolved} would get without overrides, for its warm pool
     * ({@link SandboxPools}): the same plan, caps, runtime and hardening as {@link #create}, with
     * a placeholder identity the pool strips.
     */
    public V1Pod poolPod(TemplateService.Resolved resolved) {
        TemplateSpec spec = resolved.spec();
        SandboxPlan plan = SandboxPlan.of(spec, null, caps);
        if (plan.persistent()) {
            throw ApiException.badRequest("a persistent template cannot have a pool");
        }
        String runtimeClass = runtime.resolve(spec.runtimeClassName()).orElse(null);
        Instant now = Instant.EPOCH;
        SandboxPods.Plan podPlan = new SandboxPods.Plan("00000000", settings.namespace(), resolved.name(),
                resolved.version(), spec, plan.cpu(), plan.memory(), plan.ttl(), plan.env(), "", now, now,
                // Only the start-up window counts here (the startup probe's attempts): the pool's
                // pods carry no deadline annotation (docs/contract.md).
                now.plusSeconds(plan.startupTimeout()),
                caps.requestRatio(), runtimeClass, egress.proxyUrl());
        return SandboxPods.build(podPlan, hardening, settings.launcherImage());
    }

    private static String podIp(V1Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPodIP() == null ? "" : pod.getStatus().getPodIP();
    }

    private static String phase(V1Pod pod) {
        return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
    }

    static String kubernetesMessage(io.kubernetes.client.openapi.ApiException e) {
        String body = e.getResponseBody();
        return body != null && body.contains("\"message\"")
                ? body.replaceAll("(?s).*\"message\":\"((?:[^\"\\\\]|\\\\.)*)\".*", "$1")
                : e.getMessage();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
