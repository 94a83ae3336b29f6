package io.liteboxd.api.sandbox;

import static io.liteboxd.common.kubernetes.SandboxContract.*;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStrategy;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.liteboxd.api.hardening.SandboxPodHardening;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects of a persistent sandbox (docs/contract.md, Persistent sandboxes): the
 * Deployment {@code sandbox-<id>} (one replica, {@code Recreate}) whose pod is an ephemeral
 * sandbox pod's ({@link SandboxPods}: same main container, same hardening) with the root
 * filesystem on the claim ({@link RootfsSeed}), and the claim {@code sandbox-data-<id>}.
 * The pod template carries only what never changes (a change would roll the Deployment);
 * expiry, idle timeout and stop bookkeeping live on the Deployment's own metadata. Pure.
 */
final class PersistentObjects {

    private PersistentObjects() {}

    /** {@code launcherImage}: as for an ephemeral pod ({@link SandboxLauncher}). */
    static V1Deployment deployment(SandboxPods.Plan plan, SandboxPodHardening hardening, int idleTimeout,
                                   String launcherImage) {
        Map<String, String> labels = new LinkedHashMap<>(SandboxPods.labels(plan));
        labels.put(PERSISTENT_LABEL, "true");
        // Everything an ephemeral pod carries except the startup deadline: a pod recreated after
        // it (restart, start) would be failed at once by the controller.
        Map<String, String> annotations = new LinkedHashMap<>(SandboxPods.annotations(plan));
        annotations.remove(STARTUP_DEADLINE_ANNOTATION);
        if (idleTimeout > 0) {
            annotations.put(IDLE_TIMEOUT_ANNOTATION, Integer.toString(idleTimeout));
        }

        V1Container main = SandboxPods.mainContainer(plan, hardening).volumeMounts(RootfsSeed.mounts());
        // The seed copies the image's directories before main's own mounts hide them; the launcher
        // (a template command held until the postStart hook is done) goes in as for an ephemeral pod.
        V1PodSpec pod = SandboxLauncher.install(SandboxPods.podSpec(plan, hardening, "Always")
                .volumes(List.of(new V1Volume().name(RootfsSeed.VOLUME).persistentVolumeClaim(
                        new V1PersistentVolumeClaimVolumeSource().claimName(claimName(plan.id())))))
                .initContainers(List.of(RootfsSeed.initContainer(main)))
                .containers(List.of(main)), launcherImage);
        return new V1Deployment()
                .metadata(new V1ObjectMeta().name(deploymentName(plan.id())).namespace(plan.namespace())
                        .labels(labels).annotations(annotations))
                .spec(new V1DeploymentSpec()
                        .replicas(1)
                        // Never two pods on one ReadWriteOnce claim: the old pod goes before the new one starts.
                        .strategy(new V1DeploymentStrategy().type("Recreate"))
                        .revisionHistoryLimit(1)
                        .selector(new V1LabelSelector().matchLabels(Map.of(APP_LABEL, APP_VALUE,
                                SANDBOX_ID_LABEL, plan.id(), PERSISTENT_LABEL, "true")))
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(labels)
                                        .annotations(podAnnotations(plan)))
                                .spec(pod)));
    }

    /** The pod template's annotations: the token's hash and, behind the egress proxy, the allowlist. */
    private static Map<String, String> podAnnotations(SandboxPods.Plan plan) {
        Map<String, String> annotations = new LinkedHashMap<>(SandboxPods.egressAnnotations(plan));
        annotations.put(TOKEN_SHA256_ANNOTATION, plan.tokenSha256());
        return annotations;
    }

    /**
     * The claim. Reclaim {@code Delete}: owned by the Deployment (uid {@code ownerUid}), so the
     * garbage collector removes it with the sandbox; {@code Retain}: no owner, marked, kept.
     */
    static V1PersistentVolumeClaim claim(String id, String namespace, SandboxPlan.Volume volume, String ownerUid) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(APP_LABEL, APP_VALUE);
        labels.put(SANDBOX_ID_LABEL, id);
        labels.put(MANAGED_BY_LABEL, MANAGED_BY_VALUE);
        V1ObjectMeta meta = new V1ObjectMeta().name(claimName(id)).namespace(namespace).labels(labels);
        if ("Retain".equals(volume.reclaimPolicy())) {
            meta.annotations(Map.of(RECLAIM_POLICY_ANNOTATION, "Retain"));
        } else {
            meta.ownerReferences(List.of(new V1OwnerReference().apiVersion("apps/v1").kind("Deployment")
                    .name(deploymentName(id)).uid(ownerUid)));
        }
        V1PersistentVolumeClaimSpec spec = new V1PersistentVolumeClaimSpec()
                .accessModes(List.of("ReadWriteOnce"))
                .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", Quantity.fromString(volume.size()))));
        if (!volume.storageClassName().isEmpty()) {
            spec.storageClassName(volume.storageClassName());
        }
        return new V1PersistentVolumeClaim().metadata(meta).spec(spec);
    }
}
