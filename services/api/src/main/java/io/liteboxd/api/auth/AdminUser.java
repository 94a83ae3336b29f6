package io.liteboxd.api.auth;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of {@code admin_users}: the one administrator upstream supports in practice. */
@MappedEntity("admin_users")
public record AdminUser(
        @Id String id,
        String username,
        String passwordHash,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant createdAt,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant updatedAt) {

    AdminUser withPasswordHash(String hash, Instant now) {
        return new AdminUser(id, username, hash, createdAt, now);
    }
}
