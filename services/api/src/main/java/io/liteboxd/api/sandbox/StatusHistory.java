package io.liteboxd.api.sandbox;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of {@code sandbox_status_history}: one per lifecycle transition. */
@MappedEntity("sandbox_status_history")
public record StatusHistory(
        @Id @GeneratedValue @Nullable Long id,
        String sandboxId,
        String source,
        String fromStatus,
        String toStatus,
        String reason,
        String payloadJson,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant createdAt) {

    public static StatusHistory of(String sandboxId, String source, String from, String to, String reason, Instant at) {
        return new StatusHistory(null, sandboxId, source, from, to, reason, "{}", at);
    }
}
