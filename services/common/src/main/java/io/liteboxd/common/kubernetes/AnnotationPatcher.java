package io.liteboxd.common.kubernetes;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1DaemonSet;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodTemplate;
import io.kubernetes.client.util.PatchUtils;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * The one way the services write annotations: a JSON merge patch of {@code metadata.annotations}
 * (a null value removes one), so concurrent writers of other annotations never overwrite each
 * other and no cached object is modified. Annotations are how the services talk across the
 * contract (docs/contract.md).
 */
@Singleton
public class AnnotationPatcher {

    /** Keeps null values: in a merge patch they delete the annotation. */
    private static final Gson JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final CoreV1Api core;
    private final AppsV1Api apps;

    public AnnotationPatcher(ApiClient client) {
        this.core = new CoreV1Api(client);
        this.apps = new AppsV1Api(client);
    }

    public void pod(String namespace, String name, Map<String, String> annotations) throws ApiException {
        V1Patch patch = new V1Patch(body(annotations));
        PatchUtils.patch(V1Pod.class, () -> core.patchNamespacedPod(name, namespace, patch).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, core.getApiClient());
    }

    public void daemonSet(String namespace, String name, Map<String, String> annotations) throws ApiException {
        V1Patch patch = new V1Patch(body(annotations));
        PatchUtils.patch(V1DaemonSet.class, () -> apps.patchNamespacedDaemonSet(name, namespace, patch).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, apps.getApiClient());
    }

    /** Returns the patched Deployment (the API learns a sandbox's idle timeout from it, ActivityMarks). */
    public V1Deployment deployment(String namespace, String name, Map<String, String> annotations) throws ApiException {
        V1Patch patch = new V1Patch(body(annotations));
        return PatchUtils.patch(V1Deployment.class, () -> apps.patchNamespacedDeployment(name, namespace, patch).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, apps.getApiClient());
    }

    /** The controller's pool status on a pool's PodTemplate (docs/contract.md, Warm pools). */
    public void podTemplate(String namespace, String name, Map<String, String> annotations) throws ApiException {
        V1Patch patch = new V1Patch(body(annotations));
        PatchUtils.patch(V1PodTemplate.class, () -> core.patchNamespacedPodTemplate(name, namespace, patch).buildCall(null),
                V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, core.getApiClient());
    }

    static String body(Map<String, String> annotations) {
        return JSON.toJson(Map.of("metadata", Map.of("annotations", annotations)));
    }
}
