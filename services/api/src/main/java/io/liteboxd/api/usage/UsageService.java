package io.liteboxd.api.usage;

import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
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
    private final MetricsApi metricsApi;
    private final PrometheusClient prometheus;

    UsageService(MetricsSource source, MetricsApi metricsApi, PrometheusClient prometheus) {
        this.source = source;
        this.metricsApi = metricsApi;
        this.prometheus = prometheus;
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
        return found.kind() == SourceKind.METRICS_SERVER ? metricsApi.usage(namespace, name) : fromPrometheus(found.url(), namespace, name);
    }

    private UsageView fromPrometheus(String url, String namespace, String pod) {
        OptionalDouble cpu = prometheus.instant(url, PrometheusQueries.cpu(namespace, pod));
        OptionalDouble memory = prometheus.instant(url, PrometheusQueries.memory(namespace, pod));
        if (cpu.isEmpty() && memory.isEmpty()) {
            return UsageView.unavailable("Prometheus has no sample for the pod (yet)");
        }
        return new UsageView(SourceKind.PROMETHEUS, cpu.isPresent() ? cpu.getAsDouble() : null,
                memory.isPresent() ? memory.getAsDouble() : null, java.time.Instant.now(), null);
    }
}
