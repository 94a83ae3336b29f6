package io.liteboxd.api.prepull;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.CodedError;
import io.liteboxd.api.prepull.PrepullViews.Request;
import io.liteboxd.api.prepull.PrepullViews.Response;
import io.liteboxd.api.prepull.PrepullViews.ResponseList;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code /api/v1/images/prepull} (spec §8), including {@code GET /images/prepull/{id}}, which
 * upstream's SDKs call but upstream never implemented. Progress is live: the controller reports
 * it on the DaemonSet and {@link PrepullStatusSync} keeps the row current.
 */
@Controller("/api/v1/images/prepull")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = PrepullService.class)
@Tag(name = "prepull")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@CodedError.Defaults
public class PrepullController {

    private final PrepullService service;
    private final PrepullRepository prepulls;

    PrepullController(PrepullService service, PrepullRepository prepulls) {
        this.service = service;
        this.prepulls = prepulls;
    }

    @Post
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "prepullImage", summary = "Pull an image on every schedulable node")
    @CodedError.BadRequest
    @CodedError.PrepullInProgress
    Response start(@Body Request request) {
        return Response.of(service.start(request.image(), null, request.timeout()));
    }

    @Get
    @Operation(operationId = "listPrepulls", summary = "Pre-pulls, newest first, optionally by image and status")
    ResponseList list(@Nullable @QueryValue String image, @Nullable @QueryValue String status) {
        return new ResponseList(prepulls.list(blankToNull(image), blankToNull(status)).stream().map(Response::of).toList());
    }

    @Get("/{id}")
    @Operation(operationId = "getPrepull", summary = "One pre-pull with its live progress")
    @CodedError.PrepullNotFound
    Response get(@PathVariable String id) {
        return Response.of(prepulls.findById(id).orElseThrow(() -> PrepullService.notFound(id)));
    }

    @Delete("/{id}")
    @Status(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deletePrepull", summary = "Remove a pre-pull and its DaemonSet")
    @CodedError.PrepullNotFound
    void delete(@PathVariable String id) {
        service.delete(id);
    }

    private static String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
