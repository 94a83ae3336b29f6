package io.liteboxd.api.sandbox;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.ANSI)
public interface StatusHistoryRepository extends CrudRepository<StatusHistory, Long> {

    /** Newest first, {@code limit} rows, only ids below {@code beforeId} when it is positive (a cursor). */
    @Query("""
            SELECT * FROM sandbox_status_history
            WHERE sandbox_id = :sandboxId AND (:beforeId <= 0 OR id < :beforeId)
            ORDER BY id DESC LIMIT :limit""")
    List<StatusHistory> page(String sandboxId, long beforeId, int limit);

    /** Whether the sandbox ever reached {@code toStatus} (asked before recording a transition into it). */
    boolean existsBySandboxIdAndToStatus(String sandboxId, String toStatus);
}
