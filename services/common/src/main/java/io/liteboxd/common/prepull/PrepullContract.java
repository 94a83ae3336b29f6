package io.liteboxd.common.prepull;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1DaemonSetSpec;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1Toleration;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The pre-pull handshake (docs/contract.md): the API creates one DaemonSet per request; its pods
 * pull the image on every schedulable node; the controller reports progress and the outcome on
 * the DaemonSet; the API records the outcome and says so; only then the controller deletes the
 * DaemonSet. All names of that contract are here.
 *
 * <p>Pulling needs nothing from the image: a first init container (the helper image, our static
 * pause binary) copies itself into a shared volume, and the image's own container runs that
 * copy with {@code -exit}, which exits 0 at once. The pod then idles in the helper's pause, so a
 * Ready pod means "pulled on this node".
 */
public final class PrepullContract {

    private PrepullContract() {}

    /** Label on the DaemonSet and its pods. */
    public static final String APP_LABEL = "app";
    public static final String APP_VALUE = "liteboxd-prepull";
    public static final String ID_LABEL = "liteboxd.io/prepull-id";

    /** Written by the API when it creates the DaemonSet. */
    public static final String IMAGE_ANNOTATION = "liteboxd.io/prepull-image";
    public static final String TIMEOUT_ANNOTATION = "liteboxd.io/prepull-timeout-seconds";

    /** Written by the controller: pulling | completed | failed, nodes done and scheduled, why it failed. */
    public static final String STATUS_ANNOTATION = "liteboxd.io/prepull-status";
    public static final String READY_ANNOTATION = "liteboxd.io/prepull-ready";
    public static final String TOTAL_ANNOTATION = "liteboxd.io/prepull-total";
    public static final String ERROR_ANNOTATION = "liteboxd.io/prepull-error";

    /** Written by the API once its record holds the final status (the value is that status). */
    public static final String RECORDED_ANNOTATION = "liteboxd.io/prepull-recorded";

    public static final String PULLING = "pulling";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    /** The init container that runs the image being pulled. */
    public static final String PULL_CONTAINER = "pull";

    public static String name(String prepullId) {
        return "prepull-" + prepullId;
    }

    public static String selector() {
        return APP_LABEL + "=" + APP_VALUE;
    }

    public static boolean isFinal(String status) {
        return COMPLETED.equals(status) || FAILED.equals(status);
    }

    /** The DaemonSet for a request. */
    public static V1DaemonSet daemonSet(String prepullId, String image, String namespace, String helperImage,
                                        Duration timeout) {
        Map<String, String> labels = Map.of(APP_LABEL, APP_VALUE, ID_LABEL, prepullId);
        V1ResourceRequirements tiny = new V1ResourceRequirements()
                .requests(Map.of("cpu", Quantity.fromString("10m"), "memory", Quantity.fromString("16Mi")))
                .limits(Map.of("cpu", Quantity.fromString("100m"), "memory", Quantity.fromString("64Mi")));
        V1SecurityContext restricted = new V1SecurityContext().allowPrivilegeEscalation(false)
                .capabilities(new V1Capabilities().drop(List.of("ALL")))
                .seccompProfile(new V1SeccompProfile().type("RuntimeDefault"));
        V1VolumeMount shared = new V1VolumeMount().name("lbx").mountPath("/lbx");
        return new V1DaemonSet()
                .metadata(new V1ObjectMeta().name(name(prepullId)).namespace(namespace).labels(labels)
                        .annotations(Map.of(IMAGE_ANNOTATION, image,
                                TIMEOUT_ANNOTATION, Long.toString(timeout.toSeconds()))))
                .spec(new V1DaemonSetSpec()
                        .selector(new V1LabelSelector().matchLabels(labels))
                        .template(new V1PodTemplateSpec()
                                .metadata(new V1ObjectMeta().labels(labels))
                                // overhead(null): client-java would send an empty map, which admission rejects.
                                .spec(new V1PodSpec().overhead(null)
                                        .automountServiceAccountToken(false)
                                        .terminationGracePeriodSeconds(1L)
                                        .tolerations(List.of(new V1Toleration().operator("Exists")))
                                        .volumes(List.of(new V1Volume().name("lbx").emptyDir(new V1EmptyDirVolumeSource())))
                                        .initContainers(List.of(
                                                new V1Container().name("helper").image(helperImage)
                                                        .imagePullPolicy("IfNotPresent")
                                                        .command(List.of("/pause", "-copy", "/lbx"))
                                                        .volumeMounts(List.of(shared)).resources(tiny)
                                                        .securityContext(restricted),
                                                new V1Container().name(PULL_CONTAINER).image(image)
                                                        .imagePullPolicy("IfNotPresent")
                                                        .command(List.of("/lbx/pause", "-exit"))
                                                        .volumeMounts(List.of(shared)).resources(tiny)
                                                        .securityContext(restricted)))
                                        .containers(List.of(new V1Container().name("hold").image(helperImage)
                                                .imagePullPolicy("IfNotPresent")
                                                .resources(tiny).securityContext(restricted))))));
    }
}
