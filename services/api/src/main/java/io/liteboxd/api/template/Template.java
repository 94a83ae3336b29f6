package io.liteboxd.api.template;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of {@code templates}; {@code tags} is a JSON array as upstream stores it. */
@MappedEntity("templates")
public record Template(
        @Id String id,
        String name,
        @Nullable String displayName,
        @Nullable String description,
        @Nullable String tags,
        @Nullable String author,
        @Nullable Boolean isPublic,
        @Nullable Integer latestVersion,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant createdAt,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant updatedAt) {}
