package io.liteboxd.api.template;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.ANSI)
public interface TemplateRepository extends CrudRepository<Template, String> {

    Optional<Template> findByName(String name);

    boolean existsByName(String name);

    List<Template> listOrderByCreatedAtDesc();

    /**
     * Upstream's filters: {@code tags LIKE '%"tag"%'} and a substring search, both case-insensitive
     * as SQLite's LIKE is. LOWER on both sides makes Postgres' case-sensitive LIKE behave the same
     * (for ASCII; Postgres also folds other letters, by the database's locale). CAST: a NULL test
     * needs a typed parameter on Postgres.
     */
    String SEARCH_WHERE = """
            WHERE (CAST(:tagPattern AS TEXT) IS NULL OR LOWER(tags) LIKE LOWER(CAST(:tagPattern AS TEXT)))
              AND (CAST(:searchPattern AS TEXT) IS NULL
                   OR LOWER(name) LIKE LOWER(CAST(:searchPattern AS TEXT))
                   OR LOWER(display_name) LIKE LOWER(CAST(:searchPattern AS TEXT))
                   OR LOWER(description) LIKE LOWER(CAST(:searchPattern AS TEXT)))""";

    @Query("SELECT * FROM templates " + SEARCH_WHERE + " ORDER BY created_at DESC LIMIT :limit OFFSET :offset")
    List<Template> search(@Nullable String tagPattern, @Nullable String searchPattern, int limit, int offset);

    @Query("SELECT count(*) FROM templates " + SEARCH_WHERE)
    long countMatching(@Nullable String tagPattern, @Nullable String searchPattern);
}
