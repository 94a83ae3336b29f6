package io.liteboxd.api.pool;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.CodedError;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code /api/v1/templates/{name}/pool}: a template's warm pool (docs/pools.md; not in upstream). */
@Controller("/api/v1/templates/{name}/pool")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = PoolService.class)
@Tag(name = "templates")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@CodedError.Defaults
public class PoolController {

    private final PoolService pools;

    PoolController(PoolService pools) {
        this.pools = pools;
    }

    @Get
    @Operation(operationId = "getTemplatePool", summary = "A template's warm pool: bounds, size, Ready pods, hit ratio")
    @CodedError.NotFound
    PoolViews.PoolView get(@PathVariable String name) {
        return pools.get(name);
    }

    @Put
    @Operation(operationId = "setTemplatePool", summary = "Create or resize a template's warm pool")
    @CodedError.BadRequest
    @CodedError.NotFound
    PoolViews.PoolView set(@PathVariable String name, @Nullable @Body PoolViews.PoolRequest request) {
        return pools.set(name, request);
    }

    @Delete
    @Status(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteTemplatePool", summary = "Remove a template's warm pool (its unclaimed pods go)")
    @CodedError.NotFound
    void delete(@PathVariable String name) {
        pools.delete(name);
    }
}
