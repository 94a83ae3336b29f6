package io.liteboxd.common.kubernetes;

import static io.liteboxd.common.kubernetes.SandboxContract.IDLE_TIMEOUT_ANNOTATION;
import static io.liteboxd.common.kubernetes.SandboxContract.PERSISTENT_LABEL;
import static io.liteboxd.common.kubernetes.SandboxContract.SANDBOX_ID_LABEL;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.models.V1Deployment;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Reading a persistent sandbox's Deployment (docs/contract.md, Persistent sandboxes) from a cached
 * copy: the controller, the gateway and the API ask the same questions of it. A value that does
 * not parse counts as absent, as in {@link Annotations}.
 */
public final class PersistentDeployment {

    private PersistentDeployment() {}

    /** A Deployment (or one of its pods) labelled {@code liteboxd.io/persistent: "true"}. */
    public static boolean isPersistent(KubernetesObject object) {
        return "true".equals(label(object, PERSISTENT_LABEL));
    }

    /** The {@code sandbox-id} label, or null. */
    public static String sandboxId(KubernetesObject object) {
        return label(object, SANDBOX_ID_LABEL);
    }

    /** {@code spec.replicas}; Kubernetes defaults an unset value to 1. */
    public static int replicas(V1Deployment deployment) {
        Integer replicas = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    /** {@code liteboxd.io/idle-timeout} as a positive duration; empty = never suspended. */
    public static Optional<Duration> idleTimeout(KubernetesObject deployment) {
        String value = Annotations.get(deployment, IDLE_TIMEOUT_ANNOTATION);
        if (value == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String label(KubernetesObject object, String name) {
        Map<String, String> labels = object.getMetadata() == null ? null : object.getMetadata().getLabels();
        return labels == null ? null : labels.get(name);
    }
}
