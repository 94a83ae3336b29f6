package io.liteboxd.api.template;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.H2)
public interface TemplateRepository extends CrudRepository<Template, String> {

    Optional<Template> findByName(String name);

    boolean existsByName(String name);

    List<Template> listOrderByCreatedAtDesc();

    /** Upstream's filters: {@code tags LIKE '%"tag"%'} and a case-insensitive (ASCII) substring search. */
    @Query("""
            SELECT * FROM templates
            WHERE (:tagPattern IS NULL OR tags LIKE :tagPattern)
              AND (:searchPattern IS NULL OR name LIKE :searchPattern
                   OR display_name LIKE :searchPattern OR description LIKE :searchPattern)
            ORDER BY created_at DESC LIMIT :limit OFFSET :offset""")
    List<Template> search(@Nullable String tagPattern, @Nullable String searchPattern, int limit, int offset);

    @Query("""
            SELECT count(*) FROM templates
            WHERE (:tagPattern IS NULL OR tags LIKE :tagPattern)
              AND (:searchPattern IS NULL OR name LIKE :searchPattern
                   OR display_name LIKE :searchPattern OR description LIKE :searchPattern)""")
    long countMatching(@Nullable String tagPattern, @Nullable String searchPattern);
}
