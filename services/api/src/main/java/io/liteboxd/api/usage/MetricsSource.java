package io.liteboxd.api.usage;

import io.liteboxd.api.sandbox.SandboxSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where usage figures can come from, without ever blocking a request: detection runs on its
 * own thread at start and on "detect again", each probe bounded by {@code detectTimeout}; until it
 * ends the source is {@code detecting} and usage answers say so. Order: a configured Prometheus
 * URL (wins, not probed away), the cluster's metrics.k8s.io API, then well-known in-cluster
 * Prometheus Services. Each replica detects for itself (they share one cluster, so they agree).
 */
@Singleton
@Requires(beans = SandboxSettings.class)
public class MetricsSource {

    /** The Services that common Prometheus installs create (kube-prometheus-stack, the prometheus chart, the operator). */
    static final List<String> WELL_KNOWN = List.of(
            "http://prometheus-operated.monitoring.svc:9090",
            "http://kube-prometheus-stack-prometheus.monitoring.svc:9090",
            "http://prometheus-k8s.monitoring.svc:9090",
            "http://prometheus-server.monitoring.svc",
            "http://prometheus.monitoring.svc:9090");

    private static final Logger LOG = LoggerFactory.getLogger(MetricsSource.class);

    private final UsageSettings settings;
    private final MetricsApi metricsApi;
    private final PrometheusClient prometheus;
    private final AtomicReference<MetricsSourceView> current;
    private final AtomicBoolean running = new AtomicBoolean();

    MetricsSource(UsageSettings settings, MetricsApi metricsApi, PrometheusClient prometheus) {
        this.settings = settings;
        this.metricsApi = metricsApi;
        this.prometheus = prometheus;
        this.current = new AtomicReference<>(MetricsSourceView.detecting(settings.manual(), settings.prometheusUrl()));
    }

    @EventListener
    void onStartup(StartupEvent event) {
        detectAgain();
    }

    public MetricsSourceView current() {
        return current.get();
    }

    /** Starts a detection unless one runs; returns the state at once (usually {@code detecting}). */
    public MetricsSourceView detectAgain() {
        if (running.compareAndSet(false, true)) {
            current.set(MetricsSourceView.detecting(settings.manual(), settings.prometheusUrl()));
            Thread.ofVirtual().name("metrics-source-detect").start(() -> {
                try {
                    MetricsSourceView found = detect();
                    current.set(found);
                    LOG.atInfo().addKeyValue("kind", found.kind().wire()).addKeyValue("url", found.url())
                            .log("metrics source: {}", found.kind().wire());
                } catch (RuntimeException e) {
                    current.set(new MetricsSourceView(SourceKind.NONE, null, settings.manual(), Instant.now(),
                            "detection failed: " + e.getClass().getSimpleName()));
                } finally {
                    running.set(false);
                }
            });
        }
        return current.get();
    }

    private MetricsSourceView detect() {
        Instant now = Instant.now();
        if (settings.manual()) {
            String url = trim(settings.prometheusUrl());
            String message = prometheus.answers(url) ? null : "the configured Prometheus does not answer now";
            return new MetricsSourceView(SourceKind.PROMETHEUS, url, true, now, message);
        }
        if (metricsApi.served()) {
            return new MetricsSourceView(SourceKind.METRICS_SERVER, null, false, now, null);
        }
        for (String url : WELL_KNOWN) {
            if (prometheus.answers(url)) {
                return new MetricsSourceView(SourceKind.PROMETHEUS, url, false, now, null);
            }
        }
        return new MetricsSourceView(SourceKind.NONE, null, false, now,
                "no metrics.k8s.io API and no Prometheus at a well-known address; set usage.prometheusUrl");
    }

    static String trim(String url) {
        return url.trim().replaceAll("/+$", "");
    }
}
