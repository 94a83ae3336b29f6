package io.liteboxd.api.sandbox.reconcile;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.ANSI)
public interface ReconcileRunRepository extends CrudRepository<ReconcileRun, String> {

    @Query("SELECT * FROM sandbox_reconcile_runs ORDER BY started_at DESC LIMIT :limit")
    List<ReconcileRun> newest(int limit);
}
