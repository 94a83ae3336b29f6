package io.liteboxd.api.usage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** {@code GET /api/v1/metrics-source}: what this replica found, and when. */
@Serdeable
public record MetricsSourceView(SourceKind kind, @Nullable String url, boolean manual,
                                @Nullable Instant detectedAt, @Nullable String message) {

    static MetricsSourceView detecting(boolean manual, @Nullable String url) {
        return new MetricsSourceView(SourceKind.DETECTING, url, manual, null, "detecting");
    }
}
