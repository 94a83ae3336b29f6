package io.liteboxd.api.template;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of {@code template_versions}; {@code spec} is the TemplateSpec JSON. Versions are immutable. */
@MappedEntity("template_versions")
public record TemplateVersion(
        @Id String id,
        String templateId,
        int version,
        String spec,
        @Nullable String changelog,
        @Nullable String createdBy,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant createdAt) {}
