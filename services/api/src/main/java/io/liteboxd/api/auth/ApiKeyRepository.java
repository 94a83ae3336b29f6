package io.liteboxd.api.auth;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.ANSI)
public interface ApiKeyRepository extends CrudRepository<ApiKey, String> {

    Optional<ApiKey> findByKeyHash(String keyHash);

    List<ApiKey> listOrderByCreatedAtDesc();

    /** Named after the property, so the entity's TEXT converter applies to the parameter too. */
    @Query("UPDATE api_keys SET last_used_at = :lastUsedAt WHERE id = :id")
    void touch(String id, Instant lastUsedAt);
}
