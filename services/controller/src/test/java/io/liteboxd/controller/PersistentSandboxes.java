package io.liteboxd.controller;

import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1DeploymentStrategy;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimSpec;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Probe;
import io.kubernetes.client.openapi.models.V1TCPSocketAction;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeResourceRequirements;
import io.liteboxd.common.kubernetes.SandboxContract;
import java.util.List;
import java.util.Map;

/**
 * Persistent sandboxes shaped as docs/contract.md says the API makes them (PVC
 * {@code sandbox-data-<id>}, Deployment {@code sandbox-<id>} labelled persistent, pods found by
 * {@code sandbox-id}), made directly: the controller only ever sees these objects.
 */
final class PersistentSandboxes {

    static final String IMAGE = System.getenv().getOrDefault("LBX_SANDBOX_IMAGE", "127.0.0.1:5000/liteboxd/sandbox:bookworm-1");

    private PersistentSandboxes() {}

    static Map<String, String> labels(String id) {
        return Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE, SandboxContract.SANDBOX_ID_LABEL, id,
                SandboxContract.MANAGED_BY_LABEL, SandboxContract.MANAGED_BY_VALUE, SandboxContract.PERSISTENT_LABEL, "true");
    }

    static V1PersistentVolumeClaim claim(String id) {
        return new V1PersistentVolumeClaim().metadata(new V1ObjectMeta().name(SandboxContract.claimName(id)).labels(labels(id)))
                .spec(new V1PersistentVolumeClaimSpec().accessModes(List.of("ReadWriteOnce"))
                        .resources(new V1VolumeResourceRequirements().requests(Map.of("storage", new Quantity("64Mi")))));
    }

    /** A Deployment whose pod serves HTTP on 8080 (python3 -m http.server) with the PVC at /data. */
    static V1Deployment deployment(String id, int replicas, Map<String, String> annotations) {
        return new V1Deployment()
                .metadata(new V1ObjectMeta().name(SandboxContract.deploymentName(id)).labels(labels(id)).annotations(annotations))
                .spec(new V1DeploymentSpec().replicas(replicas)
                        .strategy(new V1DeploymentStrategy().type("Recreate"))
                        .selector(new V1LabelSelector().matchLabels(Map.of(SandboxContract.APP_LABEL, SandboxContract.APP_VALUE,
                                SandboxContract.SANDBOX_ID_LABEL, id)))
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(labels(id)))
                                // overhead(null): client-java would send an empty map, which admission rejects.
                                .spec(new V1PodSpec().overhead(null).automountServiceAccountToken(false)
                                        .terminationGracePeriodSeconds(1L)
                                        .volumes(List.of(new V1Volume().name("data").persistentVolumeClaim(
                                                new V1PersistentVolumeClaimVolumeSource().claimName(SandboxContract.claimName(id)))))
                                        .containers(List.of(new V1Container().name(SandboxContract.MAIN_CONTAINER).image(IMAGE)
                                                .imagePullPolicy("IfNotPresent")
                                                .workingDir("/data")
                                                .command(List.of("python3", "-m", "http.server", "8080"))
                                                .volumeMounts(List.of(new V1VolumeMount().name("data").mountPath("/data")))
                                                .readinessProbe(new V1Probe().periodSeconds(1)
                                                        .tcpSocket(new V1TCPSocketAction().port(new IntOrString(8080)))))))));
    }
}
