package io.liteboxd.api.usage;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Map;

/** The cluster's {@code metrics.k8s.io} API (metrics-server), the one place that calls it. */
@Singleton
@Requires(beans = SandboxSettings.class)
class MetricsApi {

    private static final String GROUP = "metrics.k8s.io";
    private static final String VERSION = "v1beta1";
    private static final String NO_SAMPLE = "metrics.k8s.io has no sample for the pod yet";

    private final CustomObjectsApi custom;

    MetricsApi(ApiClient client) {
        this.custom = new CustomObjectsApi(client);
    }

    /** Whether the API is served and ours to read (404: not installed; 403: see docs/rbac.md). */
    boolean served() {
        try {
            custom.getAPIResources(GROUP, VERSION).execute();
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    /** A pod's current usage, or why there is none. */
    @SuppressWarnings("unchecked")
    UsageView usage(String namespace, String pod) {
        try {
            Object answer = custom.getNamespacedCustomObject(GROUP, VERSION, namespace, "pods", pod).execute();
            return PodMetrics.read(answer instanceof Map<?, ?> m ? (Map<String, Object>) m : null)
                    .map(m -> UsageView.of(SourceKind.METRICS_SERVER, m.cpuCores(), m.memoryBytes()))
                    .orElseGet(() -> UsageView.unavailable(NO_SAMPLE));
        } catch (ApiException e) {
            return UsageView.unavailable(e.getCode() == 404 ? NO_SAMPLE : GROUP + " answered HTTP " + e.getCode());
        }
    }
}
