package io.liteboxd.api.auth;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of {@code api_keys}; {@code keyHash} is the SHA-256 of the whole {@code lbxk_...} key. */
@MappedEntity("api_keys")
public record ApiKey(
        @Id String id,
        String name,
        String prefix,
        String keyHash,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant expiresAt,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant lastUsedAt,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant createdAt) {

    boolean expiredAt(Instant now) {
        return expiresAt != null && expiresAt.isBefore(now);
    }
}
