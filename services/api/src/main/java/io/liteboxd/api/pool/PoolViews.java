package io.liteboxd.api.pool;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The JSON of {@code /api/v1/templates/{name}/pool} (docs/pools.md). */
public final class PoolViews {

    private PoolViews() {}

    /** {@code PUT}: keep at least {@code min} Ready pods, at most {@code max} (demand sizes it in between). */
    @Serdeable
    public record PoolRequest(@Nullable Integer min, @Nullable Integer max) {}

    /**
     * A pool: its bounds, the size the controller keeps ({@code desired}), the pods Ready and
     * starting now, and over the last {@code windowSeconds} the creates it served ({@code hits}),
     * the ones it could not ({@code misses}) and their ratio (null before any create). The
     * controller's figures are null until it has reported (a pool just set).
     */
    @Serdeable
    public record PoolView(String template, int templateVersion, int min, int max, @Nullable Integer desired,
                           int ready, int starting, @Nullable Integer hits, @Nullable Integer misses,
                           @Nullable Double hitRatio, @Nullable Integer windowSeconds) {}
}
