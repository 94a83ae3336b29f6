package io.liteboxd.api.prepull;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.ANSI)
public interface PrepullRepository extends CrudRepository<Prepull, String> {

    @Query("SELECT * FROM image_prepulls WHERE image = :image AND status IN ('pending', 'pulling') LIMIT 1")
    Optional<Prepull> findActive(String image);

    /** Null = no filter (CAST: a NULL test needs a typed parameter on Postgres). */
    @Query("""
            SELECT * FROM image_prepulls
            WHERE (CAST(:image AS TEXT) IS NULL OR image = :image)
              AND (CAST(:status AS TEXT) IS NULL OR status = :status)
            ORDER BY started_at DESC""")
    List<Prepull> list(@Nullable String image, @Nullable String status);

    /** The outcome the controller reported. (An Instant: the parameter shares the converted property's name.) */
    @Query("""
            UPDATE image_prepulls SET status = :status, ready_nodes = :ready, total_nodes = :total, error = :error,
                   completed_at = :completedAt
            WHERE id = :id""")
    int report(String id, String status, int ready, int total, String error, @Nullable Instant completedAt);
}
