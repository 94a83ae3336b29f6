package io.liteboxd.api.usage;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * {@code GET /api/v1/sandboxes/{id}/usage}. {@code source} null: no figures (no metrics source,
 * the sandbox has no running pod, or the source has no sample yet); {@code message} says which.
 */
@Serdeable
public record UsageView(@Nullable SourceKind source, @Nullable Double cpuCores, @Nullable Double memoryBytes,
                        @Nullable Instant at, @Nullable String message) {

    static UsageView unavailable(String message) {
        return new UsageView(null, null, null, null, message);
    }

    static UsageView of(SourceKind source, double cpuCores, double memoryBytes) {
        return new UsageView(source, cpuCores, memoryBytes, Instant.now(), null);
    }
}
