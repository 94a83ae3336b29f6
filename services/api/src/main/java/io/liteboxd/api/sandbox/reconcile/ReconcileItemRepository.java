package io.liteboxd.api.sandbox.reconcile;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.ANSI)
public interface ReconcileItemRepository extends CrudRepository<ReconcileItem, Long> {

    @Query("SELECT * FROM sandbox_reconcile_items WHERE run_id = :runId ORDER BY id")
    List<ReconcileItem> ofRun(String runId);
}
