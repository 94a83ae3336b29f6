package io.liteboxd.api.sandbox;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** {@code sandboxes}. Time parameters of the update queries are already in TimeText form. */
@JdbcRepository(dialect = Dialect.ANSI)
public interface SandboxRepository extends CrudRepository<Sandbox, String> {

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

    /** A sandbox that claimed a pool pod runs in that pod, not in {@code sandbox-<id>}. */
    @Query("UPDATE sandboxes SET pod_name = :podName WHERE id = :id")
    int setPodName(String id, String podName);

    /**
     * A persistent sandbox scaled to 0 (by request, or seen on its Deployment): no pod to show.
     * Only from {@code from}, so the API and the informer record the stop once.
     */
    @Query("""
            UPDATE sandboxes SET lifecycle_status = 'stopped', status_reason = :reason, stopped_at = :stopTime,
                   pod_uid = '', pod_phase = '', pod_ip = '', updated_at = :now
            WHERE id = :id AND lifecycle_status = :from AND desired_state = 'active'""")
    int stop(String id, String from, String reason, String stopTime, String now);

    /**
     * A stopped persistent sandbox running again: the TTL was paused, so {@code expires_at} is the
     * moved one. Only from {@code stopped}, so start and the informer record it once.
     */
    @Query("""
            UPDATE sandboxes SET lifecycle_status = :status, status_reason = :reason, stopped_at = NULL,
                   expires_at = :expiry, updated_at = :now
            WHERE id = :id AND lifecycle_status = 'stopped' AND desired_state = 'active'""")
    int resume(String id, String status, String reason, String expiry, String now);

    /** A start that failed puts the expiry back. */
    @Query("UPDATE sandboxes SET expires_at = :expiry, updated_at = :now WHERE id = :id")
    int restoreExpiry(String id, String expiry, String now);

    /** Only once: of two deletes at the same time (two replicas), one records the request. */
    @Query("""
            UPDATE sandboxes SET desired_state = 'deleted', lifecycle_status = 'terminating',
                   status_reason = :reason, deleted_at = NULL, deletion_phase = 'requested',
                   deletion_started_at = COALESCE(deletion_started_at, :now), deletion_next_retry_at = :now,
                   deletion_attempts = 0, deletion_force_level = 0, deletion_last_error = '', updated_at = :now
            WHERE id = :id AND desired_state <> 'deleted'""")
    int markDeleteRequested(String id, String reason, String now);

    @Query("""
            UPDATE sandboxes SET desired_state = 'deleted', lifecycle_status = 'deleted', status_reason = :reason,
                   deleted_at = :now, deletion_phase = 'completed', deletion_next_retry_at = NULL,
                   deletion_last_error = '', pod_ip = '', updated_at = :now
            WHERE id = :id AND lifecycle_status <> 'deleted'""")
    int markDeleted(String id, String reason, String now);

    /**
     * The metadata filters (spec §5.1); times in the stored TEXT layout, null = no filter. On both
     * databases: a NULL test needs a typed parameter on Postgres (CAST), the time comparisons are
     * text order on SQLite and timestamptz order on Postgres (the text is read as a time there),
     * and the id prefix is matched case-insensitively as SQLite's LIKE does (LOWER on both sides).
     */
    String METADATA_WHERE = """
            WHERE (CAST(:idPrefix AS TEXT) IS NULL OR LOWER(id) LIKE LOWER(CAST(:idPrefix AS TEXT)) ESCAPE '\\')
              AND (CAST(:template AS TEXT) IS NULL OR template_name = :template)
              AND (CAST(:desired AS TEXT) IS NULL OR desired_state = :desired)
              AND (CAST(:lifecycle AS TEXT) IS NULL OR lifecycle_status = :lifecycle)
              AND (CAST(:phase AS TEXT) IS NULL OR deletion_phase = :phase)
              AND (CAST(:createdFrom AS TEXT) IS NULL OR created_at >= :createdFrom)
              AND (CAST(:createdTo AS TEXT) IS NULL OR created_at <= :createdTo)
              AND (CAST(:deletedFrom AS TEXT) IS NULL OR (deleted_at IS NOT NULL AND deleted_at >= :deletedFrom))
              AND (CAST(:deletedTo AS TEXT) IS NULL OR (deleted_at IS NOT NULL AND deleted_at <= :deletedTo))""";

    @Query("SELECT * FROM sandboxes " + METADATA_WHERE + " ORDER BY created_at DESC LIMIT :limit OFFSET :offset")
    List<Sandbox> metadata(@Nullable String idPrefix, @Nullable String template, @Nullable String desired,
                           @Nullable String lifecycle, @Nullable String phase, @Nullable String createdFrom,
                           @Nullable String createdTo, @Nullable String deletedFrom, @Nullable String deletedTo,
                           int limit, int offset);

    @Query("SELECT count(*) FROM sandboxes " + METADATA_WHERE)
    long countMetadata(@Nullable String idPrefix, @Nullable String template, @Nullable String desired,
                       @Nullable String lifecycle, @Nullable String phase, @Nullable String createdFrom,
                       @Nullable String createdTo, @Nullable String deletedFrom, @Nullable String deletedTo);

    /**
     * Rows that name a volume claim, newest first, minus those whose claim was deleted with them
     * (fully deleted with reclaim policy {@code Delete}).
     */
    @Query("""
            SELECT * FROM sandboxes
            WHERE volume_claim_name <> ''
              AND NOT (desired_state = 'deleted' AND lifecycle_status = 'deleted'
                       AND deletion_phase = 'completed' AND volume_reclaim_policy = 'Delete')
            ORDER BY updated_at DESC""")
    List<Sandbox> listWithVolumeClaims();

    /** Rows the cluster should still have something for: everything not yet deleted. */
    @Query("SELECT * FROM sandboxes WHERE lifecycle_status <> 'deleted'")
    List<Sandbox> listUndeleted();

    /** Sandboxes that count against {@code SANDBOX_MAX_LIVE}: every row not yet deleted (terminating included). */
    @Query("SELECT count(*) FROM sandboxes WHERE lifecycle_status <> 'deleted'")
    long countLive();

    /** A status change decided without a pod to copy from, if the row is still in {@code from}. */
    @Query("""
            UPDATE sandboxes SET lifecycle_status = :status, status_reason = :reason, updated_at = :now
            WHERE id = :id AND lifecycle_status = :from AND desired_state = 'active'""")
    int transition(String id, String from, String status, String reason, String now);

    @Query("UPDATE sandboxes SET lifecycle_status = :status, status_reason = :reason, updated_at = :now WHERE id = :id")
    int setStatus(String id, String status, String reason, String now);
}
