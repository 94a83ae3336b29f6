package io.liteboxd.common.kubernetes;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import io.micronaut.core.annotation.Nullable;

/**
 * What the controller reports about a pool on its PodTemplate ({@code liteboxd.io/pool-status},
 * docs/contract.md): the size it keeps ({@code desired}), the pods it sees Ready and starting, and
 * the claims ({@code hits}) and cold creates ({@code misses}) of the last {@code window} seconds.
 * The API shows it on {@code GET /templates/{name}/pool}.
 */
public record PoolStatus(int desired, int ready, int starting, int hits, int misses, int window) {

    private static final Gson JSON = new Gson();

    public String toJson() {
        return JSON.toJson(this);
    }

    /** Null when absent or unreadable (a controller that has not reported yet). */
    @Nullable
    public static PoolStatus parse(@Nullable String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return JSON.fromJson(json, PoolStatus.class);
        } catch (JsonParseException e) {
            return null;
        }
    }
}
