package io.liteboxd.api.sandbox.volume;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.error.FlatError;
import io.liteboxd.api.http.Paging;
import io.liteboxd.api.sandbox.SandboxRepository;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/**
 * {@code GET /api/v1/sandboxes/pvcs} (spec §5.2): which volume claims belong to which sandbox.
 * Upstream rejected {@code state=deleting} although it produced it; here every state filters.
 */
@Controller("/api/v1/sandboxes/pvcs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = PvcCache.class)
@Tag(name = "volumes")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
public class PvcController {

    private final SandboxRepository sandboxes;
    private final PvcCache claims;

    PvcController(SandboxRepository sandboxes, PvcCache claims) {
        this.sandboxes = sandboxes;
        this.claims = claims;
    }

    /**
     * @param state {@code bound}, {@code orphan_pvc}, {@code dangling_metadata} or {@code deleting}
     * @param page 1-based (default 1)
     * @param pageSize default 20, at most 100
     */
    @Get
    @Operation(operationId = "listSandboxPvcs", summary = "Volume claims joined with the sandboxes that own them")
    @FlatError.BadRequest
    PvcViews.Page list(@Nullable @QueryValue("sandbox_id") String sandboxId,
                       @Nullable @QueryValue("storage_class") String storageClass,
                       @Nullable @QueryValue String state,
                       @Nullable @QueryValue String page, @Nullable @QueryValue("page_size") String pageSize) {
        if (state != null && !state.isEmpty() && !PvcMapping.STATES.contains(state)) {
            throw ApiException.badRequest("invalid state, expected one of " + PvcMapping.STATES);
        }
        Paging paging = Paging.of(page, pageSize);
        List<PvcViews.Item> matching = PvcMapping.join(sandboxes.listWithVolumeClaims(), claims.list()).stream()
                .filter(i -> sandboxId == null || sandboxId.isEmpty() || sandboxId.equals(i.sandboxId()))
                .filter(i -> storageClass == null || storageClass.isEmpty() || storageClass.equals(i.storageClassName()))
                .filter(i -> state == null || state.isEmpty() || state.equals(i.state()))
                .toList();
        List<PvcViews.Item> items = matching.stream().skip(paging.offset()).limit(paging.size()).toList();
        return new PvcViews.Page(items, matching.size(), paging.page(), paging.size());
    }
}
