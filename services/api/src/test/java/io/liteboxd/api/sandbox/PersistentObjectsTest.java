package io.liteboxd.api.sandbox;

import static io.liteboxd.common.kubernetes.SandboxContract.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.liteboxd.api.template.TemplateSpec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A persistent sandbox's Deployment and claim (docs/contract.md, Persistent sandboxes): the pod is
 * an ephemeral sandbox pod's, hardening included, with the root filesystem seeded onto the claim
 * by an init container that has exactly main's privileges; what changes lives on the Deployment.
 */
class PersistentObjectsTest {

    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    static SandboxPods.Plan plan(int ttl) {
        TemplateSpec spec = new TemplateSpec("img", List.of("sleep", "infinity"), null,
                new TemplateSpec.Resources("1", "1Gi"), ttl, null, "echo hi", 300, null, null, null,
                new TemplateSpec.Persistence(true, "rootfs-overlay", "1Gi", "", "Delete"), null, 600, null);
        return new SandboxPods.Plan("1a2b3c4d", "ns", "tpl", 2, spec, "1", "1Gi", ttl, Map.of("A", "1"), "hash",
                NOW, NOW.plusSeconds(ttl), NOW.plusSeconds(300), new BigDecimal("0.5"), "gvisor");
    }

    static V1Deployment deployment(int ttl, int idleTimeout) {
        return PersistentObjects.deployment(plan(ttl), SandboxPodsTest.DEFAULTS, idleTimeout,
                SandboxPodsTest.LAUNCHER_IMAGE);
    }

    @Test
    void theDeploymentIsOneRecreatedReplicaWithTheChangingAnnotationsOnItself() {
        V1Deployment deployment = deployment(60, 600);
        assertEquals("sandbox-1a2b3c4d", deployment.getMetadata().getName());
        assertEquals(1, deployment.getSpec().getReplicas());
        assertEquals("Recreate", deployment.getSpec().getStrategy().getType());
        Map<String, String> labels = deployment.getMetadata().getLabels();
        assertEquals(Map.of(APP_LABEL, APP_VALUE, SANDBOX_ID_LABEL, "1a2b3c4d", MANAGED_BY_LABEL, MANAGED_BY_VALUE,
                PERSISTENT_LABEL, "true"), labels);
        assertEquals(labels, deployment.getSpec().getTemplate().getMetadata().getLabels(),
                "its pods carry the labels the gateway, exec and the informers select on");
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        assertEquals("hash", annotations.get(TOKEN_SHA256_ANNOTATION));
        assertEquals("2026-01-01T00:01:00Z", annotations.get(EXPIRES_AT_ANNOTATION));
        assertEquals("600", annotations.get(IDLE_TIMEOUT_ANNOTATION));
        assertEquals("tpl", annotations.get(TEMPLATE_ANNOTATION));
        assertFalse(annotations.containsKey(STARTUP_DEADLINE_ANNOTATION),
                "a deadline fixed at creation would fail every later pod");
        assertEquals(Map.of(TOKEN_SHA256_ANNOTATION, "hash"), deployment.getSpec().getTemplate().getMetadata().getAnnotations(),
                "only what never changes is on the pod template");
        Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
        assertTrue(labels.entrySet().containsAll(selector.entrySet()));
        assertEquals("1a2b3c4d", selector.get(SANDBOX_ID_LABEL));
    }

    @Test
    void noExpiryAndNoIdleTimeoutLeaveTheirAnnotationsOut() {
        Map<String, String> annotations = deployment(0, 0).getMetadata().getAnnotations();
        assertFalse(annotations.containsKey(EXPIRES_AT_ANNOTATION));
        assertFalse(annotations.containsKey(IDLE_TIMEOUT_ANNOTATION));
    }

    @Test
    void thePodIsAnEphemeralSandboxPodWithItsRootFilesystemOnTheClaim() {
        V1PodSpec pod = deployment(60, 0).getSpec().getTemplate().getSpec();
        V1PodSpec ephemeral = SandboxPods.build(plan(60), SandboxPodsTest.DEFAULTS, SandboxPodsTest.LAUNCHER_IMAGE)
                .getSpec();
        V1Container main = pod.getContainers().get(0);
        V1Container ephemeralMain = ephemeral.getContainers().get(0);
        assertEquals(1, pod.getContainers().size());
        assertEquals(ephemeralMain.getSecurityContext(), main.getSecurityContext());
        assertEquals(ephemeralMain.getResources(), main.getResources());
        assertEquals(ephemeralMain.getCommand(), main.getCommand());
        assertEquals(ephemeralMain.getEnv(), main.getEnv());
        assertEquals(ephemeralMain.getLifecycle(), main.getLifecycle(), "template files and startup script as ephemeral");
        assertEquals(ephemeral.getSecurityContext(), pod.getSecurityContext());
        assertEquals(false, pod.getAutomountServiceAccountToken());
        assertEquals("gvisor", pod.getRuntimeClassName());
        assertEquals("Always", pod.getRestartPolicy(), "a Deployment's pods restart");
        assertNull(pod.getShareProcessNamespace());
        assertNull(pod.getHostPID());

        assertEquals(List.of("rootfs", SandboxLauncher.VOLUME), pod.getVolumes().stream().map(v -> v.getName()).toList(),
                "the claim, and the launcher's as for an ephemeral pod (a template command with a startup script)");
        assertEquals("sandbox-data-1a2b3c4d", pod.getVolumes().get(0).getPersistentVolumeClaim().getClaimName());
        List<V1VolumeMount> onClaim = main.getVolumeMounts().stream().filter(m -> m.getName().equals("rootfs")).toList();
        assertEquals(RootfsSeed.KEPT, onClaim.stream().map(V1VolumeMount::getMountPath).toList());
        for (V1VolumeMount mount : onClaim) {
            assertEquals(mount.getMountPath().substring(1), mount.getSubPath(), "each directory from its own sub-path");
        }
        assertEquals(List.of("/.liteboxd/pause", "-wait", "/.liteboxd/ready", "--", "sleep", "infinity"), main.getCommand(),
                "the command waits for the template's files and startup script, as in an ephemeral pod");
        assertTrue(RootfsSeed.KEPT.containsAll(List.of("/etc", "/usr", "/var", "/root", "/home", "/opt", "/srv",
                "/workspace")));
    }

    @Test
    void theSeedHasMainsPrivilegesAndNoMore() {
        V1PodSpec pod = deployment(60, 0).getSpec().getTemplate().getSpec();
        V1Container main = pod.getContainers().get(0);
        assertEquals(List.of("rootfs-seed", SandboxLauncher.INIT_CONTAINER),
                pod.getInitContainers().stream().map(V1Container::getName).toList(), "the seed first");
        V1Container seed = pod.getInitContainers().get(0);
        assertEquals("rootfs-seed", seed.getName());
        assertEquals(main.getImage(), seed.getImage(), "the sandbox's own image: its files are what is copied");
        assertEquals(main.getSecurityContext(), seed.getSecurityContext());
        assertEquals(main.getSecurityContext(), pod.getInitContainers().get(1).getSecurityContext());
        assertEquals(false, seed.getSecurityContext().getAllowPrivilegeEscalation());
        assertNull(seed.getSecurityContext().getPrivileged());
        assertEquals(List.of("ALL"), seed.getSecurityContext().getCapabilities().getDrop());
        assertEquals(main.getResources(), seed.getResources());
        assertEquals(1, seed.getVolumeMounts().size());
        assertNull(seed.getVolumeMounts().get(0).getSubPath(), "the seed sees the whole claim, markers included");
        assertFalse(RootfsSeed.KEPT.contains(seed.getVolumeMounts().get(0).getMountPath()));
    }

    @Test
    void theSeedScriptCopiesEachDirectoryOnceBehindAMarker() {
        String script = RootfsSeed.script();
        assertTrue(script.startsWith("set -eu\n"), "a failed copy stops before its marker");
        assertTrue(script.contains("[ -e \".seeded-$n\" ] && continue"));
        assertTrue(script.contains("cp -a \"$d/.\" \".seeding-$n/\""));
        assertTrue(script.indexOf("mv \".seeding-$n\" \"$n\"") < script.indexOf(": > \".seeded-$n\""),
                "the marker only after the copy is in place");
        assertTrue(script.contains("for d in /etc /usr /var /root /home /opt /srv /workspace;"));
    }

    @Test
    void aDeleteClaimIsOwnedByTheDeploymentARetainClaimByNobody() {
        V1PersistentVolumeClaim delete = PersistentObjects.claim("1a2b3c4d", "ns",
                new SandboxPlan.Volume("2Gi", "", "Delete"), "uid-1");
        assertEquals("sandbox-data-1a2b3c4d", delete.getMetadata().getName());
        assertEquals(List.of("ReadWriteOnce"), delete.getSpec().getAccessModes());
        assertEquals("2Gi", delete.getSpec().getResources().getRequests().get("storage").toSuffixedString());
        assertNull(delete.getSpec().getStorageClassName(), "empty: the cluster's default StorageClass");
        var owner = delete.getMetadata().getOwnerReferences().get(0);
        assertEquals(List.of("apps/v1", "Deployment", "sandbox-1a2b3c4d", "uid-1"),
                List.of(owner.getApiVersion(), owner.getKind(), owner.getName(), owner.getUid()));
        assertTrue(delete.getMetadata().getAnnotations() == null || delete.getMetadata().getAnnotations().isEmpty());
        assertEquals(Map.of(APP_LABEL, APP_VALUE, SANDBOX_ID_LABEL, "1a2b3c4d", MANAGED_BY_LABEL, MANAGED_BY_VALUE),
                delete.getMetadata().getLabels());

        V1PersistentVolumeClaim retain = PersistentObjects.claim("1a2b3c4d", "ns",
                new SandboxPlan.Volume("1Gi", "local-path", "Retain"), "uid-1");
        assertTrue(retain.getMetadata().getOwnerReferences() == null || retain.getMetadata().getOwnerReferences().isEmpty());
        assertEquals(Map.of(RECLAIM_POLICY_ANNOTATION, "Retain"), retain.getMetadata().getAnnotations());
        assertEquals("local-path", retain.getSpec().getStorageClassName());
    }
}
