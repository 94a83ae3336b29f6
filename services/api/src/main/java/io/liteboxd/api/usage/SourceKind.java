package io.liteboxd.api.usage;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where usage figures come from, as {@code GET /api/v1/metrics-source} names it. */
public enum SourceKind {
    /** The cluster serves metrics.k8s.io (metrics-server or an adapter). */
    METRICS_SERVER,
    PROMETHEUS,
    /** Nothing found: the console says so; nothing else changes. */
    NONE,
    /** A detection is running (at start and after "detect again"). */
    DETECTING;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
