package io.liteboxd.api.auth;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of {@code sessions}; the id is the SHA-256 of the cookie value, never the value. */
@MappedEntity("sessions")
public record Session(
        @Id String id,
        String userId,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant expiresAt,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant createdAt) {}
