package io.liteboxd.api.sandbox.reconcile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** The JSON of the reconcile routes (spec §5.4): snake_case, {@code finished_at}/{@code error} only when set. */
final class ReconcileViews {

    private ReconcileViews() {}

    @Serdeable
    @Schema(name = "ReconcileRun")
    record RunView(
            String id,
            @JsonProperty("trigger_type") String triggerType,
            @JsonProperty("started_at") Instant startedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable @JsonProperty("finished_at") Instant finishedAt,
            @JsonProperty("total_db") int totalDb,
            @JsonProperty("total_k8s") int totalK8s,
            @JsonProperty("drift_count") int driftCount,
            @JsonProperty("fixed_count") int fixedCount,
            String status,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) @Nullable String error) {

        static RunView of(ReconcileRun run) {
            return new RunView(run.id(), run.triggerType(), run.startedAt(), run.finishedAt(), run.totalDb(),
                    run.totalK8s(), run.driftCount(), run.fixedCount(), run.status(), run.error());
        }
    }

    @Serdeable
    @Schema(name = "ReconcileItem")
    record ItemView(
            long id,
            @JsonProperty("run_id") String runId,
            @JsonProperty("sandbox_id") String sandboxId,
            @JsonProperty("drift_type") String driftType,
            String action,
            String detail,
            @JsonProperty("created_at") Instant createdAt) {

        static ItemView of(ReconcileItem item) {
            return new ItemView(item.id(), item.runId(), item.sandboxId(), item.driftType(), item.action(),
                    item.detail(), item.createdAt());
        }
    }

    /** {@code ReconcileRunDetail}: a run with its items (POST and GET by id). */
    @Serdeable
    @Schema(name = "ReconcileRunDetail")
    record RunDetail(RunView run, List<ItemView> items) {}

    @Serdeable
    record RunList(List<RunView> items) {}
}
