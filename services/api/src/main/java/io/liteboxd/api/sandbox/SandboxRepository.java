package io.liteboxd.api.sandbox;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** {@code sandboxes}. Time parameters of the update queries are already in TimeText form. */
@JdbcRepository(dialect = Dialect.H2)
public interface SandboxRepository extends CrudRepository<Sandbox, String> {

    /** Upstream's list: active rows not yet deleted, plus (optionally) ones being deleted. */
    @Query("""
            SELECT * FROM sandboxes
            WHERE (desired_state = 'active' AND lifecycle_status <> 'deleted')
               OR (:includeTerminating AND desired_state = 'deleted' AND lifecycle_status = 'terminating')
            ORDER BY created_at DESC""")
    List<Sandbox> listVisible(boolean includeTerminating);

    /**
     * What Kubernetes shows, written only while the sandbox is wanted (never over a deletion) and
     * only if the row is still in {@code from}: the create path and the informer both report the
     * first pod state, and exactly one of them may record the transition.
     */
    @Query("""
            UPDATE sandboxes SET lifecycle_status = :status, status_reason = :reason, pod_uid = :podUid,
                   pod_phase = :podPhase, pod_ip = :podIp, last_seen_at = :now, updated_at = :now
            WHERE id = :id AND lifecycle_status = :from AND desired_state = 'active'""")
    int observe(String id, String from, String status, String reason, String podUid, String podPhase, String podIp,
                String now);

    @Query("""
            UPDATE sandboxes SET desired_state = 'deleted', lifecycle_status = 'terminating',
                   status_reason = :reason, deleted_at = NULL, deletion_phase = 'requested',
                   deletion_started_at = COALESCE(deletion_started_at, :now), deletion_next_retry_at = :now,
                   deletion_attempts = 0, deletion_force_level = 0, deletion_last_error = '', updated_at = :now
            WHERE id = :id""")
    int markDeleteRequested(String id, String reason, String now);

    @Query("""
            UPDATE sandboxes SET desired_state = 'deleted', lifecycle_status = 'deleted', status_reason = :reason,
                   deleted_at = :now, deletion_phase = 'completed', deletion_next_retry_at = NULL,
                   deletion_last_error = '', pod_ip = '', updated_at = :now
            WHERE id = :id AND lifecycle_status <> 'deleted'""")
    int markDeleted(String id, String reason, String now);

    @Query("UPDATE sandboxes SET lifecycle_status = :status, status_reason = :reason, updated_at = :now WHERE id = :id")
    int setStatus(String id, String status, String reason, String now);
}
