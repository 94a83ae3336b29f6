package io.liteboxd.api.selftest;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.exec.CommandRunner;
import io.liteboxd.api.exec.PodExec;
import io.liteboxd.api.hardening.LinuxCapability;
import io.liteboxd.api.runtime.RuntimeClassCatalog;
import io.liteboxd.api.sandbox.LifecycleStatus;
import io.liteboxd.api.sandbox.Sandbox;
import io.liteboxd.api.sandbox.SandboxRepository;
import io.liteboxd.api.sandbox.SandboxService;
import io.liteboxd.api.sandbox.SandboxPodCache;
import io.liteboxd.api.template.TemplateException;
import io.liteboxd.api.template.TemplateService;
import io.liteboxd.api.template.TemplateSpec;
import io.liteboxd.common.kubernetes.SandboxContract;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The isolation self-test: starts a sandbox from a template exactly as a user would get it, runs
 * the probe (resources/selftest/probe.sh) in it, holds what it saw against the pod the API asked
 * for, and deletes the sandbox. A sandbox the cluster refuses or that does not start is a finding
 * (a failed check), not an error; only a request the API itself refuses (no such template, caps,
 * no room) is one.
 */
@Singleton
@Requires(beans = SandboxPodCache.class)
public class SelfTestService {

    private static final Logger LOG = LoggerFactory.getLogger(SelfTestService.class);
    private static final String PROBE = readProbe();
    /** The address clouds serve instance credentials on; no sandbox may reach it. */
    private static final String METADATA_ADDRESS = "169.254.169.254";
    private static final int KUBELET_PORT = 10250;
    /** The API server's port on a k3s server node (and kubeadm's), besides the kubernetes Service. */
    private static final int NODE_API_SERVER_PORT = 6443;
    private static final int OTHER_SANDBOX_PORT = 8080;
    /** How often the sandbox's row is read while it starts; the informer writes it. */
    private static final Duration START_POLL = Duration.ofMillis(200);
    /** Beyond the template's startup timeout: the controller fails the sandbox at that deadline. */
    private static final Duration START_GRACE = Duration.ofSeconds(15);

    private final TemplateService templates;
    private final SandboxService sandboxes;
    private final SandboxRepository rows;
    private final SandboxPodCache pods;
    private final CommandRunner runner;
    private final RuntimeClassCatalog runtimeClasses;
    private final SelfTestSettings settings;
    private final URI kubernetesApi;

    SelfTestService(TemplateService templates, SandboxService sandboxes, SandboxRepository rows,
                    SandboxPodCache pods, CommandRunner runner, RuntimeClassCatalog runtimeClasses,
                    SelfTestSettings settings, ApiClient kubernetes) {
        this.templates = templates;
        this.sandboxes = sandboxes;
        this.rows = rows;
        this.pods = pods;
        this.runner = runner;
        this.runtimeClasses = runtimeClasses;
        this.settings = settings;
        this.kubernetesApi = URI.create(kubernetes.getBasePath());
    }

    public IsolationReport verify(String template, int version) throws InterruptedException {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        var resolved = templates.resolve(template, version).orElseThrow(() -> templates.resolve(template, 0).isPresent()
                ? new TemplateException(HttpStatus.NOT_FOUND, "VERSION_NOT_FOUND",
                        "version " + version + " not found for template '" + template + "'")
                : new TemplateException(HttpStatus.NOT_FOUND, "TEMPLATE_NOT_FOUND", "Template '" + template + "' not found"));
        SandboxService.Created created;
        try {
            created = sandboxes.createProbe(resolved.name(), resolved.version(), settings.probeTtl());
        } catch (ApiException e) {
            if (e.status().getCode() >= 500) {
                // The cluster refused the pod (admission, quota): exactly what the test is for.
                List<Check> refused = List.of(Check.fail("sandbox-started", "running", "not created", e.getMessage()));
                return new IsolationReport(resolved.name(), resolved.version(), "", resolved.spec().image(),
                        Optional.ofNullable(resolved.spec().runtimeClassName()).orElse(""), false, started,
                        Duration.between(started, Instant.now()).toMillis(), refused);
            }
            // The API's own refusals (caps, no room), in the templates' error shape.
            throw new TemplateException(e.status(), codeOf(e.status()), "cannot start a probe sandbox: " + e.getMessage());
        }
        String id = created.sandbox().id();
        List<Check> checks = new ArrayList<>();
        String runtimeClass = "";
        try {
            Sandbox row = awaitStarted(id, Duration.ofSeconds(startupTimeout(resolved.spec())).plus(START_GRACE));
            Optional<V1Pod> pod = pods.pod(id);
            runtimeClass = pod.map(p -> p.getSpec().getRuntimeClassName()).filter(Objects::nonNull).orElse("");
            if (row.lifecycle() != LifecycleStatus.RUNNING || pod.isEmpty()) {
                checks.add(Check.fail("sandbox-started", "running", row.lifecycleStatus(),
                        row.statusReason().isEmpty() ? "the sandbox did not start" : row.statusReason()));
            } else {
                checks.add(Check.pass("sandbox-started", "running", "running"));
                checks.addAll(probe(pod.get()));
            }
        } finally {
            try {
                sandboxes.delete(id);
            } catch (RuntimeException e) {
                LOG.warn("self-test sandbox {}: delete failed ({}); its ttl removes it", id, e.getMessage());
            }
        }
        long took = Duration.between(started, Instant.now()).toMillis();
        return new IsolationReport(resolved.name(), resolved.version(), id, resolved.spec().image(), runtimeClass,
                IsolationReport.passed(checks), started, took, checks);
    }

    private List<Check> probe(V1Pod pod) throws InterruptedException {
        Map<TargetKind, String> unprobed = new EnumMap<>(TargetKind.class);
        List<ProbeTarget> targets = targets(pod, unprobed);
        List<String> command = new ArrayList<>(List.of("sh", "-c", PROBE, "probe",
                Long.toString(settings.connectTimeout().toSeconds()), settings.dnsName()));
        targets.forEach(t -> command.add(t.argument()));
        var target = new PodExec.Target(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                SandboxContract.MAIN_CONTAINER);
        CommandRunner.Result result = runner.run(target, command, settings.connectTimeout().multipliedBy(3).plusSeconds(20));
        if (result.exitCode() != 0 && result.stdout().isBlank()) {
            return List.of(Check.fail("probe", "the probe runs", "exit " + result.exitCode(),
                    result.stderr().isBlank() ? "the probe printed nothing" : result.stderr().strip()));
        }
        return IsolationChecks.evaluate(ProbeFacts.parse(result.stdout()), expectations(pod, unprobed));
    }

    private List<ProbeTarget> targets(V1Pod pod, Map<TargetKind, String> unprobed) {
        List<ProbeTarget> targets = new ArrayList<>();
        int apiPort = kubernetesApi.getPort() > 0 ? kubernetesApi.getPort() : 443;
        // A loopback address (an API run outside the cluster, with a tunnel) means the sandbox itself.
        if (!isLoopback(kubernetesApi.getHost())) {
            targets.add(new ProbeTarget(TargetKind.KUBERNETES_API, kubernetesApi.getHost(), apiPort));
        }
        String serviceHost = System.getenv("KUBERNETES_SERVICE_HOST");
        String servicePort = System.getenv("KUBERNETES_SERVICE_PORT");
        if (serviceHost != null && servicePort != null && !serviceHost.equals(kubernetesApi.getHost())) {
            targets.add(new ProbeTarget(TargetKind.KUBERNETES_API, serviceHost, Integer.parseInt(servicePort)));
        }
        String hostIp = pod.getStatus() == null ? null : pod.getStatus().getHostIP();
        if (hostIp != null) {
            targets.add(new ProbeTarget(TargetKind.NODE, hostIp, KUBELET_PORT));
            if (!(hostIp.equals(kubernetesApi.getHost()) && apiPort == NODE_API_SERVER_PORT)) {
                targets.add(new ProbeTarget(TargetKind.KUBERNETES_API, hostIp, NODE_API_SERVER_PORT));
            }
        } else {
            unprobed.put(TargetKind.NODE, "the pod has no host IP yet");
        }
        List<ProbeTarget> controlPlane = settings.controlPlane();
        targets.addAll(controlPlane);
        if (controlPlane.isEmpty()) {
            unprobed.put(TargetKind.CONTROL_PLANE, "no control-plane targets configured (SELFTEST_CONTROL_PLANE_TARGETS)");
        }
        String self = pod.getMetadata().getName();
        pods.pods().stream()
                .filter(p -> !self.equals(p.getMetadata().getName()) && p.getStatus() != null
                        && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null)
                .findFirst()
                .ifPresentOrElse(p -> targets.add(new ProbeTarget(TargetKind.OTHER_SANDBOX, p.getStatus().getPodIP(),
                                OTHER_SANDBOX_PORT)),
                        () -> unprobed.put(TargetKind.OTHER_SANDBOX, "no other sandbox is running to try"));
        targets.add(new ProbeTarget(TargetKind.METADATA, METADATA_ADDRESS, 80));
        targets.add(settings.internet());
        return targets;
    }

    private Expectations expectations(V1Pod pod, Map<TargetKind, String> unprobed) {
        V1Container main = pod.getSpec().getContainers().stream()
                .filter(c -> SandboxContract.MAIN_CONTAINER.equals(c.getName())).findFirst().orElseThrow();
        Map<String, Quantity> limits = main.getResources() == null || main.getResources().getLimits() == null
                ? Map.of() : main.getResources().getLimits();
        long cpuMillis = limits.containsKey("cpu")
                ? limits.get("cpu").getNumber().movePointRight(3).longValue() : 0;
        long memoryBytes = limits.containsKey("memory") ? limits.get("memory").getNumber().longValue() : 0;
        Set<LinuxCapability> granted = EnumSet.noneOf(LinuxCapability.class);
        if (main.getSecurityContext() != null && main.getSecurityContext().getCapabilities() != null
                && main.getSecurityContext().getCapabilities().getAdd() != null) {
            main.getSecurityContext().getCapabilities().getAdd().forEach(n -> LinuxCapability.named(n).ifPresent(granted::add));
        }
        String runtimeClass = Optional.ofNullable(pod.getSpec().getRuntimeClassName()).orElse("");
        Optional<String> handler = runtimeClass.isEmpty() ? Optional.empty() : runtimeClasses.handler(runtimeClass);
        boolean internet = "true".equals(pod.getMetadata().getLabels() == null ? null
                : pod.getMetadata().getLabels().get(SandboxContract.INTERNET_ACCESS_LABEL));
        return new Expectations(runtimeClass, handler, internet, cpuMillis, memoryBytes, granted, unprobed);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    private Sandbox awaitStarted(String id, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            Sandbox row = rows.findById(id).orElseThrow();
            LifecycleStatus status = row.lifecycle();
            if (status != LifecycleStatus.CREATING && status != LifecycleStatus.PENDING || Instant.now().isAfter(deadline)) {
                return row;
            }
            Thread.sleep(START_POLL.toMillis());
        }
    }

    /** The stored spec always has one (the defaults are written with it); 300 s is upstream's default. */
    private static int startupTimeout(TemplateSpec spec) {
        return spec.startupTimeout() == null || spec.startupTimeout() <= 0 ? 300 : spec.startupTimeout();
    }

    private static String codeOf(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "INVALID_REQUEST";
            case TOO_MANY_REQUESTS -> "TOO_MANY_SANDBOXES";
            case NOT_FOUND -> "TEMPLATE_NOT_FOUND";
            default -> "INTERNAL_ERROR";
        };
    }

    private static String readProbe() {
        try (InputStream in = SelfTestService.class.getResourceAsStream("/selftest/probe.sh")) {
            return new String(Objects.requireNonNull(in, "selftest/probe.sh").readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
