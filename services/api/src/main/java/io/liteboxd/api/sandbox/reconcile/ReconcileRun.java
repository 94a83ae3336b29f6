package io.liteboxd.api.sandbox.reconcile;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of {@code sandbox_reconcile_runs}: one comparison of the database with the cluster. */
@MappedEntity("sandbox_reconcile_runs")
public record ReconcileRun(
        @Id String id,
        String triggerType,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant startedAt,
        @Nullable @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant finishedAt,
        int totalDb,
        int totalK8s,
        int driftCount,
        int fixedCount,
        String status,
        String error) {

    ReconcileRun finish(int totalDb, int totalK8s, int driftCount, int fixedCount, String status, String error,
                        Instant at) {
        return new ReconcileRun(id, triggerType, startedAt, at, totalDb, totalK8s, driftCount, fixedCount, status,
                error);
    }
}
