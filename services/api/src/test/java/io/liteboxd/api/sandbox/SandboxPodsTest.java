package io.liteboxd.api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.liteboxd.api.hardening.SandboxPodHardening;
import io.liteboxd.api.hardening.SandboxPodSettings;
import io.liteboxd.api.template.TemplateSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The sandbox pod's resources (limits as planned, requests from SANDBOX_REQUEST_RATIO) and its
 * hardening (SandboxPodSettings): capabilities, storage limits, scheduling, user namespace.
 */
class SandboxPodsTest {

    static final SandboxPodHardening DEFAULTS = hardening(SandboxPodSettings.DEFAULT_CAPABILITIES, "2Gi", "1Gi", "", "", true);

    static SandboxPodHardening hardening(String capabilities, String storage, String workspace, String nodeSelector,
                                         String tolerations, boolean hostUsers) {
        return new SandboxPodHardening(new SandboxPodSettings(capabilities, false, storage, workspace, nodeSelector,
                tolerations, hostUsers));
    }

    static V1Pod pod(String cpu, String memory, String ratio, SandboxPodHardening hardening) {
        return pod(cpu, memory, ratio, hardening, null);
    }

    static V1Pod pod(String cpu, String memory, String ratio, SandboxPodHardening hardening, String runtimeClass) {
        TemplateSpec spec = new TemplateSpec("img", null, null, new TemplateSpec.Resources(cpu, memory), 60,
                null, null, 300, null, null, null, null, runtimeClass, null, null);
        return pod(spec, ratio, hardening);
    }

    static V1Pod pod(TemplateSpec spec, String ratio, SandboxPodHardening hardening) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String cpu = spec.resources().cpu();
        String memory = spec.resources().memory();
        return SandboxPods.build(new SandboxPods.Plan("1a2b3c4d", "ns", "tpl", 1, spec, cpu, memory, 60, Map.of(),
                "hash", now, now.plusSeconds(60), now.plusSeconds(300), new BigDecimal(ratio), spec.runtimeClassName()),
                hardening, LAUNCHER_IMAGE);
    }

    static final String LAUNCHER_IMAGE = "registry.test/pause:launcher";

    static TemplateSpec withSetup(List<String> command, List<String> args, String startupScript) {
        return new TemplateSpec("img", command, args, new TemplateSpec.Resources("1", "1Gi"), 60, null, startupScript,
                300, List.of(new TemplateSpec.File(null, "/workspace/run.sh", "echo ok")), null, null, null, null, null, null);
    }

    static String hookScript(V1Container main) {
        List<String> hook = main.getLifecycle().getPostStart().getExec().getCommand();
        assertEquals(List.of("sh", "-c"), hook.subList(0, 2));
        return hook.get(2);
    }

    @Test
    void aTemplateCommandStartsThroughTheLauncherAfterTheHook() {
        V1Pod pod = pod(withSetup(List.of("sh", "/workspace/run.sh"), List.of("a b"), "touch /tmp/started"), "0", DEFAULTS);
        V1Container main = pod.getSpec().getContainers().getFirst();
        assertEquals(List.of("/.liteboxd/pause", "-wait", "/.liteboxd/ready", "--", "sh", "/workspace/run.sh"),
                main.getCommand());
        assertEquals(List.of("a b"), main.getArgs(), "args follow the command unchanged");
        assertTrue(main.getVolumeMounts().stream().anyMatch(m -> m.getName().equals("liteboxd-launcher")
                && m.getMountPath().equals("/.liteboxd") && !Boolean.TRUE.equals(m.getReadOnly())));
        // The files, then the script, in a subshell; the ready file only after both succeeded.
        String hook = hookScript(main);
        assertTrue(hook.startsWith("(\nmkdir -p \"$(dirname '/workspace/run.sh')\""), hook);
        assertTrue(hook.endsWith("touch /tmp/started\n) && : > /.liteboxd/ready"), hook);

        V1Container init = pod.getSpec().getInitContainers().getFirst();
        assertEquals(1, pod.getSpec().getInitContainers().size());
        assertEquals(LAUNCHER_IMAGE, init.getImage());
        assertEquals(List.of("/lbx-session", "install", "/.liteboxd", "/pause"), init.getCommand(),
                "the helper image's session helper installs itself and the launcher");
        assertEquals(main.getSecurityContext(), init.getSecurityContext(), "no more privilege than main");
        assertEquals(List.of("ALL"), init.getSecurityContext().getCapabilities().getDrop());
        assertEquals(false, init.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(Quantity.fromString("100m"), init.getResources().getLimits().get("cpu"));
        assertEquals(Quantity.fromString("32Mi"), init.getResources().getLimits().get("memory"));
        assertEquals(Quantity.fromString("8Mi"), init.getResources().getLimits().get("ephemeral-storage"));
        assertTrue(init.getResources().getRequests().get("cpu").getNumber()
                .compareTo(main.getResources().getRequests().get("cpu").getNumber()) < 0,
                "the init container never raises the pod's effective request");

        var volume = pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals("liteboxd-launcher"))
                .findFirst().orElseThrow();
        assertEquals(Quantity.fromString("16Mi"), volume.getEmptyDir().getSizeLimit());
        assertNull(volume.getEmptyDir().getMedium(), "node disk, not the sandbox's memory");
    }

    @Test
    void installingTwiceChangesNothing() {
        V1Pod pod = pod(withSetup(List.of("sh", "/workspace/run.sh"), null, "true"), "0", DEFAULTS);
        String once = io.kubernetes.client.openapi.JSON.serialize(pod);
        SandboxLauncher.install(pod.getSpec(), LAUNCHER_IMAGE);
        assertEquals(once, io.kubernetes.client.openapi.JSON.serialize(pod));
    }

    @Test
    void withoutATemplateCommandTheImageEntrypointRunsAsBeforeNextToTheHook() {
        V1Pod pod = pod(withSetup(null, List.of("x"), "touch /tmp/started"), "0", DEFAULTS);
        V1Container main = pod.getSpec().getContainers().getFirst();
        assertTrue(main.getCommand() == null || main.getCommand().isEmpty(), "the image's ENTRYPOINT is kept");
        assertEquals(List.of("x"), main.getArgs());
        assertSessionHelperOnly(pod);
        String hook = hookScript(main);
        assertFalse(hook.contains("/.liteboxd"), hook);
        assertTrue(hook.endsWith("&& touch /tmp/started"), hook);
    }

    @Test
    void aCommandWithNothingToWaitForRunsDirectly() {
        TemplateSpec spec = new TemplateSpec("img", List.of("sleep", "infinity"), null,
                new TemplateSpec.Resources("1", "1Gi"), 60, null, null, 300, null, null, null, null, null, null, null);
        V1Pod pod = pod(spec, "0", DEFAULTS);
        V1Container main = pod.getSpec().getContainers().getFirst();
        assertEquals(List.of("sleep", "infinity"), main.getCommand());
        assertNull(main.getLifecycle());
        assertSessionHelperOnly(pod);
    }

    /** Every pod gets the launcher volume and its init container, for the session helper (docs/sessions.md). */
    private static void assertSessionHelperOnly(V1Pod pod) {
        V1Container main = pod.getSpec().getContainers().getFirst();
        assertEquals(List.of("launcher"), pod.getSpec().getInitContainers().stream().map(V1Container::getName).toList());
        assertTrue(io.liteboxd.api.session.SessionHelper.installed(pod), "the API recognises a pod with the helper");
        assertEquals(List.of("workspace", "liteboxd-launcher"),
                pod.getSpec().getVolumes().stream().map(v -> v.getName()).toList());
        assertEquals(List.of("workspace", "liteboxd-launcher"),
                main.getVolumeMounts().stream().map(m -> m.getName()).toList());
    }

    @Test
    void theRuntimeClassIsSetOnlyWhenOneIsChosen() {
        assertNull(pod("1", "1Gi", "0", DEFAULTS).getSpec().getRuntimeClassName());
        assertEquals("gvisor", pod("1", "1Gi", "0", DEFAULTS, "gvisor").getSpec().getRuntimeClassName());
    }

    static V1ResourceRequirements resources(String cpu, String memory, String ratio) {
        return pod(cpu, memory, ratio, DEFAULTS).getSpec().getContainers().getFirst().getResources();
    }

    @Test
    void ratioZeroKeepsTheFixedRequests() {
        V1ResourceRequirements r = resources("2", "4Gi", "0");
        assertEquals(Map.of("cpu", Quantity.fromString("2"), "memory", Quantity.fromString("4Gi"),
                "ephemeral-storage", Quantity.fromString("2Gi")), r.getLimits());
        assertEquals(Map.of("cpu", Quantity.fromString("100m"), "memory", Quantity.fromString("128Mi"),
                "ephemeral-storage", Quantity.fromString("64Mi")), r.getRequests());
    }

    @Test
    void aRatioDerivesTheRequestsFromTheLimits() {
        V1ResourceRequirements r = resources("2", "4Gi", "0.25");
        assertEquals(Map.of("cpu", Quantity.fromString("500m"), "memory", Quantity.fromString("1Gi"),
                "ephemeral-storage", Quantity.fromString("512Mi")), r.getRequests());
    }

    @Test
    void theDefaultPodKeepsOnlyTheConfiguredCapabilitiesAndToleratesNoPressure() {
        V1Pod pod = pod("1", "1Gi", "0", DEFAULTS);
        V1Container main = pod.getSpec().getContainers().getFirst();
        V1SecurityContext security = main.getSecurityContext();
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop());
        assertEquals(List.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "NET_BIND_SERVICE", "SETGID", "SETUID"),
                security.getCapabilities().getAdd());
        assertEquals(false, security.getAllowPrivilegeEscalation());
        assertEquals("RuntimeDefault", pod.getSpec().getSecurityContext().getSeccompProfile().getType());
        assertEquals(Quantity.fromString("1Gi"), pod.getSpec().getVolumes().getFirst().getEmptyDir().getSizeLimit());
        assertEquals("workspace", pod.getSpec().getVolumes().getFirst().getName());
        assertTrue(pod.getSpec().getTolerations() == null || pod.getSpec().getTolerations().isEmpty(),
                "no node-pressure tolerations: " + pod.getSpec().getTolerations());
        assertTrue(pod.getSpec().getNodeSelector() == null || pod.getSpec().getNodeSelector().isEmpty());
        assertNull(pod.getSpec().getHostUsers(), "no user namespace unless asked for");
        String json = io.kubernetes.client.openapi.JSON.serialize(pod);
        assertFalse(json.contains("pressure"), json);
        assertFalse(json.contains("hostUsers"), json);
    }

    @Test
    void aDedicatedPoolAUserNamespaceAndOtherLimitsAsConfigured() {
        V1Pod pod = pod("1", "1Gi", "0", hardening("kill, cap_setuid,,SETUID", "512Mi", "16Mi",
                "pool=sandboxes,zone=a",
                "[{\"key\":\"pool\",\"operator\":\"Equal\",\"value\":\"sandboxes\",\"effect\":\"NoSchedule\"}]",
                false));
        V1Container main = pod.getSpec().getContainers().getFirst();
        assertEquals(List.of("ALL"), main.getSecurityContext().getCapabilities().getDrop());
        assertEquals(List.of("KILL", "SETUID"), main.getSecurityContext().getCapabilities().getAdd());
        assertEquals(Quantity.fromString("512Mi"), main.getResources().getLimits().get("ephemeral-storage"));
        assertEquals(Quantity.fromString("64Mi"), main.getResources().getRequests().get("ephemeral-storage"));
        assertEquals(Quantity.fromString("16Mi"), pod.getSpec().getVolumes().getFirst().getEmptyDir().getSizeLimit());
        assertEquals(Map.of("pool", "sandboxes", "zone", "a"), pod.getSpec().getNodeSelector());
        assertEquals(List.of(new V1Toleration().key("pool").operator("Equal").value("sandboxes").effect("NoSchedule")),
                pod.getSpec().getTolerations());
        assertEquals(false, pod.getSpec().getHostUsers());
    }

    @Test
    void noCapabilityAtAllIsAllDropped() {
        var caps = pod("1", "1Gi", "0", hardening("", "2Gi", "1Gi", "", "", true))
                .getSpec().getContainers().getFirst().getSecurityContext().getCapabilities();
        assertEquals(List.of("ALL"), caps.getDrop());
        assertTrue(caps.getAdd() == null || caps.getAdd().isEmpty());
    }

    static TemplateSpec withProbe(int initialDelaySeconds, int periodSeconds) {
        return new TemplateSpec("img", null, null, new TemplateSpec.Resources("1", "1Gi"), 60, null, null, 300, null,
                new TemplateSpec.ReadinessProbe(new TemplateSpec.Exec(List.of("test", "-f", "/tmp/up")),
                        initialDelaySeconds, periodSeconds, 1), null, null, null, null, null);
    }

    @Test
    void theTemplatesReadinessProbeGatesTheStartOnlyAndOutlastsTheDeadline() {
        V1Container main = pod(withProbe(4, 2), "0", DEFAULTS).getSpec().getContainers().getFirst();
        assertNull(main.getReadinessProbe(), "no exec into the sandbox for the rest of its life");
        var probe = main.getStartupProbe();
        assertEquals(List.of("test", "-f", "/tmp/up"), probe.getExec().getCommand());
        assertEquals(4, probe.getInitialDelaySeconds());
        assertEquals(2, probe.getPeriodSeconds());
        // The deadline is 300 s after creation: 4 s + 2 s x 150 attempts is past it, so the kubelet
        // does not restart the container before the controller fails the sandbox.
        assertEquals(150, probe.getFailureThreshold());
        assertTrue(4 + 2 * probe.getFailureThreshold() > 300);
    }

    @Test
    void aProbeWithoutPeriodPollsEveryTwoSecondsAsUpstream() {
        var probe = pod(withProbe(0, 0), "0", DEFAULTS).getSpec().getContainers().getFirst().getStartupProbe();
        assertEquals(2, probe.getPeriodSeconds());
        assertEquals(152, probe.getFailureThreshold());
    }
}
