package io.liteboxd.api.usage;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A sandbox's current CPU and memory from the detected {@link MetricsSource}. Never an error for
 * a missing source or sample: the answer says why there are no figures, and the console shows it.
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class UsageService {

    private final MetricsSource source;
    private final UsageSettings settings;
    private final CustomObjectsApi custom;
    private final HttpClient http;
    private final JsonMapper json;

    UsageService(MetricsSource source, UsageSettings settings, ApiClient client, JsonMapper json) {
        this.source = source;
        this.settings = settings;
        this.custom = new CustomObjectsApi(client);
        this.http = HttpClient.newBuilder().connectTimeout(settings.queryTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.json = json;
    }

    /** Usage of a sandbox whose pod (if any) the caller resolved. */
    public UsageView usage(Optional<V1Pod> sandboxPod) {
        MetricsSourceView found = source.current();
        Optional<V1Pod> pod = sandboxPod.filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()));
        if (found.kind() == SourceKind.DETECTING) {
            return UsageView.unavailable("looking for a metrics source");
        }
        if (found.kind() == SourceKind.NONE) {
            return UsageView.unavailable(found.message());
        }
        if (pod.isEmpty()) {
            return UsageView.unavailable("the sandbox has no running pod");
        }
        String namespace = pod.get().getMetadata().getNamespace();
        String name = pod.get().getMetadata().getName();
        return found.kind() == SourceKind.METRICS_SERVER ? fromMetricsApi(namespace, name) : fromPrometheus(found.url(), namespace, name);
    }

    @SuppressWarnings("unchecked")
    private UsageView fromMetricsApi(String namespace, String pod) {
        try {
            Object answer = custom.getNamespacedCustomObject("metrics.k8s.io", "v1beta1", namespace, "pods", pod).execute();
            return PodMetrics.read(answer instanceof Map<?, ?> m ? (Map<String, Object>) m : null)
                    .map(m -> UsageView.of(SourceKind.METRICS_SERVER, m.cpuCores(), m.memoryBytes()))
                    .orElseGet(() -> UsageView.unavailable("metrics.k8s.io has no sample for the pod yet"));
        } catch (ApiException e) {
            return UsageView.unavailable(e.getCode() == 404 ? "metrics.k8s.io has no sample for the pod yet"
                    : "metrics.k8s.io answered HTTP " + e.getCode());
        }
    }

    private UsageView fromPrometheus(String url, String namespace, String pod) {
        OptionalDouble cpu = query(url, PrometheusQueries.cpu(namespace, pod));
        OptionalDouble memory = query(url, PrometheusQueries.memory(namespace, pod));
        if (cpu.isEmpty() && memory.isEmpty()) {
            return UsageView.unavailable("Prometheus has no sample for the pod (yet)");
        }
        return new UsageView(SourceKind.PROMETHEUS, cpu.isPresent() ? cpu.getAsDouble() : null,
                memory.isPresent() ? memory.getAsDouble() : null, java.time.Instant.now(), null);
    }

    @SuppressWarnings("unchecked")
    private OptionalDouble query(String url, String promql) {
        try {
            URI uri = URI.create(url + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(settings.queryTimeout()).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            return PrometheusQueries.value(json.readValue(response.body(), Map.class));
        } catch (IOException | IllegalArgumentException e) {
            return OptionalDouble.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        }
    }
}
