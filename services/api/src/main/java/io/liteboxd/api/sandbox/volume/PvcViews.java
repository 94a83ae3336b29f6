package io.liteboxd.api.sandbox.volume;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The JSON of {@code GET /sandboxes/pvcs} (spec §5.2); optional fields are left out when unknown. */
final class PvcViews {

    private PvcViews() {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Item(String pvcName, String namespace, @Nullable String storageClassName, @Nullable String requestedSize,
                @Nullable String phase, @Nullable String pvName, @Nullable String sandboxId,
                @Nullable String sandboxLifecycleStatus, @Nullable String reclaimPolicy, String state,
                String source) {}

    @Serdeable
    record Page(List<Item> items, long total, int page, @JsonProperty("page_size") int pageSize) {}
}
