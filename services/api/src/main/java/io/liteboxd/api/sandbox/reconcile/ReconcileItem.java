package io.liteboxd.api.sandbox.reconcile;

import io.liteboxd.api.storage.InstantText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.TypeDef;
import io.micronaut.data.model.DataType;
import java.time.Instant;

/** A row of {@code sandbox_reconcile_items}: one drift found in a run and what was done about it. */
@MappedEntity("sandbox_reconcile_items")
public record ReconcileItem(
        @Id @GeneratedValue @Nullable Long id,
        String runId,
        String sandboxId,
        String driftType,
        String action,
        String detail,
        @TypeDef(type = DataType.STRING, converter = InstantText.class) Instant createdAt) {}
