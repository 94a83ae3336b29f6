package io.liteboxd.api.sandbox;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.Collection;
import java.util.List;

/** Cheap reads for the sandbox list: which rows, in which order, changed when; then only the changed ones. */
@JdbcRepository(dialect = Dialect.ANSI)
public interface SandboxVersionRepository extends GenericRepository<Sandbox, String> {

    /** Upstream's list: active rows not yet deleted, plus (optionally) ones being deleted; newest first. */
    @Query("""
            SELECT id, updated_at FROM sandboxes
            WHERE (desired_state = 'active' AND lifecycle_status <> 'deleted')
               OR (:includeTerminating AND desired_state = 'deleted' AND lifecycle_status = 'terminating')
            ORDER BY created_at DESC""")
    List<RowVersion> listVisibleVersions(boolean includeTerminating);

    List<Sandbox> findByIdIn(Collection<String> ids);
}
