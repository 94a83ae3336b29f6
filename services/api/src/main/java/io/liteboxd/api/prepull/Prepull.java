package io.liteboxd.api.prepull;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of {@code image_prepulls} (spec §18): one pre-pull request and its last known outcome. */
@MappedEntity("image_prepulls")
public record Prepull(
        @Id String id,
        String image,
        String imageHash,
        String status,
        @Nullable Integer readyNodes,
        @Nullable Integer totalNodes,
        @Nullable String error,
        @Nullable String template,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant startedAt,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant completedAt) {

    public static final String PENDING = "pending";

    public boolean isActive() {
        return PENDING.equals(status) || "pulling".equals(status);
    }
}
