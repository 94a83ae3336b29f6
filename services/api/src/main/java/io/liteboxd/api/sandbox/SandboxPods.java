package io.liteboxd.api.sandbox;

import static io.liteboxd.common.kubernetes.SandboxContract.*;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1ExecAction;
import io.kubernetes.client.openapi.models.V1Lifecycle;
import io.kubernetes.client.openapi.models.V1LifecycleHandler;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.liteboxd.api.hardening.SandboxPodHardening;
import io.liteboxd.api.limits.ResourceRequests;
import io.liteboxd.api.template.TemplateSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod behind an ephemeral sandbox (spec §11.2), whose labels, main container and pod-level
 * settings a persistent sandbox's pod template shares ({@link PersistentObjects}), with our differences: the token only as its
 * SHA-256, the expiry as an annotation for the controller, requests derived from the limits
 * ({@link ResourceRequests}, never above them), the hardening of {@link SandboxPodHardening}
 * (capabilities, ephemeral storage, workspace size, scheduling, user namespace), the RuntimeClass
 * (null: the cluster's default runtime), and the template's
 * readiness probe, files and startup script handed to the kubelet (a readiness probe and a
 * postStart hook) so readiness follows the pod's own status; a template command starts only after
 * that hook ({@link SandboxLauncher}).
 */
final class SandboxPods {

    private static final String WORKSPACE = "/workspace";
    private static final String EPHEMERAL_STORAGE = "ephemeral-storage";

    private SandboxPods() {}

    /**
     * What a pod is built from: the resolved spec plus the sandbox's identity. {@code egressProxyUrl}:
     * the egress proxy's URL for sandboxes with a domain allowlist ({@link SandboxEgress}); empty = off.
     */
    record Plan(String id, String namespace, String templateName, int templateVersion, TemplateSpec spec,
                String cpu, String memory, int ttl, Map<String, String> env, String tokenSha256,
                Instant createdAt, Instant expiresAt, Instant startupDeadline, BigDecimal requestRatio,
                String runtimeClassName, String egressProxyUrl) {

        /** Without the egress proxy. */
        Plan(String id, String namespace, String templateName, int templateVersion, TemplateSpec spec,
             String cpu, String memory, int ttl, Map<String, String> env, String tokenSha256,
             Instant createdAt, Instant expiresAt, Instant startupDeadline, BigDecimal requestRatio,
             String runtimeClassName) {
            this(id, namespace, templateName, templateVersion, spec, cpu, memory, ttl, env, tokenSha256, createdAt,
                    expiresAt, startupDeadline, requestRatio, runtimeClassName, "");
        }
    }

    /** {@code launcherImage}: our static pause image, for {@link SandboxLauncher}'s init container. */
    static V1Pod build(Plan plan, SandboxPodHardening hardening, String launcherImage) {
        V1Container main = mainContainer(plan, hardening)
                .volumeMounts(List.of(new V1VolumeMount().name("workspace").mountPath(WORKSPACE)));
        // No tolerations of node pressure: a node short of disk, memory or pids takes no new sandbox.
        return new V1Pod()
                .metadata(new V1ObjectMeta().name(podName(plan.id())).namespace(plan.namespace())
                        .labels(labels(plan)).annotations(annotations(plan)))
                .spec(SandboxLauncher.install(podSpec(plan, hardening, "Never")
                        .volumes(List.of(new V1Volume().name("workspace").emptyDir(hardening.workspace())))
                        .containers(List.of(main)), launcherImage));
    }

    /** The labels of every sandbox pod (and of a persistent sandbox's Deployment and pod template). */
    static Map<String, String> labels(Plan plan) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(APP_LABEL, APP_VALUE);
        labels.put(SANDBOX_ID_LABEL, plan.id());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY_VALUE);
        if (SandboxEgress.open(plan.spec())) {
            labels.put(INTERNET_ACCESS_LABEL, "true");
        } else if (SandboxEgress.viaProxy(plan.spec())) {
            labels.put(EGRESS_LABEL, EGRESS_PROXY);
        }
        return labels;
    }

    /** The annotations of an ephemeral sandbox's pod (a persistent one's Deployment has its own). */
    static Map<String, String> annotations(Plan plan) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(TOKEN_SHA256_ANNOTATION, plan.tokenSha256());
        annotations.put(TEMPLATE_ANNOTATION, plan.templateName());
        annotations.put(TEMPLATE_VERSION_ANNOTATION, Integer.toString(plan.templateVersion()));
        annotations.put("liteboxd/ttl", Integer.toString(plan.ttl()));
        annotations.put("liteboxd/created-at", DateTimeFormatter.ISO_INSTANT.format(plan.createdAt()));
        annotations.put(STARTUP_DEADLINE_ANNOTATION, DateTimeFormatter.ISO_INSTANT.format(plan.startupDeadline()));
        if (plan.ttl() > 0) {
            annotations.put(EXPIRES_AT_ANNOTATION, DateTimeFormatter.ISO_INSTANT.format(plan.expiresAt()));
        }
        annotations.putAll(egressAnnotations(plan));
        return annotations;
    }

    /** {@code liteboxd.io/allowed-domains} for a sandbox behind the egress proxy; a persistent pod template carries it too. */
    static Map<String, String> egressAnnotations(Plan plan) {
        return SandboxEgress.viaProxy(plan.spec())
                ? Map.of(ALLOWED_DOMAINS_ANNOTATION, SandboxEgress.allowedDomains(plan.spec()))
                : Map.of();
    }

    /**
     * The {@code main} container without volume mounts: image, command, env, limits, hardening,
     * startup probe (the template's readiness probe) and the template's files and startup script.
     * Ephemeral and persistent sandboxes both build theirs here, so a change to how a sandbox
     * starts applies to both.
     */
    static V1Container mainContainer(Plan plan, SandboxPodHardening hardening) {
        Quantity cpuLimit = Quantity.fromString(plan.cpu());
        Quantity memoryLimit = Quantity.fromString(plan.memory());
        ResourceRequests.Requests requests = ResourceRequests.of(cpuLimit, memoryLimit, plan.requestRatio());
        Quantity storageLimit = hardening.ephemeralStorageLimit();
        V1Container main = new V1Container()
                .name(MAIN_CONTAINER)
                .image(plan.spec().image())
                .imagePullPolicy("IfNotPresent")
                .workingDir(WORKSPACE)
                .env(envVars(withProxy(plan), plan.spec().files()))
                .resources(new V1ResourceRequirements()
                        .limits(Map.of("cpu", cpuLimit, "memory", memoryLimit, EPHEMERAL_STORAGE, storageLimit))
                        .requests(Map.of("cpu", requests.cpu(), "memory", requests.memory(),
                                EPHEMERAL_STORAGE, ResourceRequests.ephemeralStorage(storageLimit, plan.requestRatio()))))
                .securityContext(hardening.containerSecurityContext());
        if (plan.spec().command() != null && !plan.spec().command().isEmpty()) {
            main.command(plan.spec().command());
        }
        if (plan.spec().args() != null && !plan.spec().args().isEmpty()) {
            main.args(plan.spec().args());
        }
        var probe = plan.spec().readinessProbe();
        if (probe != null) {
            // The template's readiness probe gates the start, as upstream's (it polls until the
            // command first passes, failureThreshold ignored), so it is the container's startup
            // probe: the kubelet runs it until it passes once and then never again. As a
            // readiness probe it would exec into every sandbox every period for the sandbox's
            // whole life: on the 2-CPU test bed ten such sandboxes cost the node about a
            // third of a CPU (runc, containerd and the shims; bench/upgrade-postgres.md).
            int period = probe.periodSeconds() > 0 ? probe.periodSeconds() : 2;
            main.startupProbe(new V1Probe()
                    .exec(new V1ExecAction().command(probe.exec().command()))
                    .initialDelaySeconds(probe.initialDelaySeconds())
                    .periodSeconds(period)
                    .failureThreshold(startupProbeAttempts(plan, probe.initialDelaySeconds(), period)));
        }
        String setup = setupScript(plan.spec());
        if (setup != null) {
            // Runs once the container has started; the pod is not Running until it has finished.
            // A failure fails an ephemeral sandbox (restartPolicy Never); a persistent sandbox's
            // container is restarted by the kubelet (its Deployment's pods restart Always).
            main.lifecycle(new V1Lifecycle().postStart(new V1LifecycleHandler()
                    .exec(new V1ExecAction().command(List.of("sh", "-c", setup)))));
        }
        return main;
    }

    /**
     * Attempts that outlast the start-up deadline: the kubelet must not give up (and restart the
     * container) before the controller fails the sandbox at its deadline (docs/contract.md).
     */
    static int startupProbeAttempts(Plan plan, int initialDelaySeconds, int periodSeconds) {
        long window = Math.max(0, Duration.between(plan.createdAt(), plan.startupDeadline()).toSeconds());
        long attempts = Math.ceilDiv(Math.max(0, window - initialDelaySeconds), periodSeconds) + 2;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(3, attempts));
    }

    /** The pod-level hardening and scheduling, without volumes and containers. */
    static V1PodSpec podSpec(Plan plan, SandboxPodHardening hardening, String restartPolicy) {
        return hardening.schedule(new V1PodSpec()
                .automountServiceAccountToken(false)
                .enableServiceLinks(false)
                .restartPolicy(restartPolicy)
                .runtimeClassName(plan.runtimeClassName())
                .terminationGracePeriodSeconds(5L)
                .securityContext(hardening.podSecurityContext())
                // client-java 22 starts this map empty, and the API server rejects an
                // empty overhead without a RuntimeClass ("Pod Overhead set ...").
                .overhead(null));
    }

    /** Template files (their content travels in LITEBOXD_FILE_n variables), then the startup script. */
    static String setupScript(TemplateSpec spec) {
        StringBuilder script = new StringBuilder();
        List<TemplateSpec.File> files = spec.files() == null ? List.of() : spec.files();
        for (int i = 0; i < files.size(); i++) {
            String destination = shellQuote(files.get(i).destination());
            script.append("mkdir -p \"$(dirname ").append(destination).append(")\" && printf '%s' \"$LITEBOXD_FILE_")
                    .append(i).append("\" > ").append(destination).append(" && ");
        }
        boolean hasScript = spec.startupScript() != null && !spec.startupScript().isBlank();
        if (script.isEmpty() && !hasScript) {
            return null;
        }
        script.append(hasScript ? spec.startupScript() : "true");
        return script.toString();
    }

    /** The proxy variables win over a template's own: a sandbox behind the proxy has no other way out. */
    private static Map<String, String> withProxy(Plan plan) {
        Map<String, String> proxy = SandboxEgress.env(plan.spec(), plan.egressProxyUrl());
        if (proxy.isEmpty()) {
            return plan.env();
        }
        Map<String, String> env = new LinkedHashMap<>(plan.env());
        env.putAll(proxy);
        return env;
    }

    private static List<V1EnvVar> envVars(Map<String, String> env, List<TemplateSpec.File> files) {
        List<V1EnvVar> vars = new ArrayList<>();
        new TreeMap<>(env).forEach((name, value) -> vars.add(new V1EnvVar().name(name).value(value)));
        if (files != null) {
            for (int i = 0; i < files.size(); i++) {
                String content = files.get(i).content();
                vars.add(new V1EnvVar().name("LITEBOXD_FILE_" + i).value(content == null ? "" : content));
            }
        }
        return vars;
    }

    private static String shellQuote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
