package io.liteboxd.api.prepull;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.CodedError;
import io.liteboxd.api.prepull.PrepullViews.Response;
import io.liteboxd.api.template.TemplateException;
import io.liteboxd.api.template.TemplateService;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code POST /api/v1/templates/{name}/prepull} (spec §6, §8): pre-pull the latest version's image. */
@Controller("/api/v1/templates/{name}/prepull")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = PrepullService.class)
@Tag(name = "prepull")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@CodedError.Defaults
public class TemplatePrepullController {

    private final PrepullService service;
    private final TemplateService templates;

    TemplatePrepullController(PrepullService service, TemplateService templates) {
        this.service = service;
        this.templates = templates;
    }

    @Post
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "prepullTemplate", summary = "Pull a template's image on every schedulable node")
    @CodedError.BadRequest
    @CodedError.NotFound
    @CodedError.PrepullInProgress
    Response start(@PathVariable String name) {
        var resolved = templates.resolve(name, 0).orElseThrow(() -> new TemplateException(HttpStatus.NOT_FOUND,
                "TEMPLATE_NOT_FOUND", "Template '" + name + "' not found"));
        String image = resolved.spec().image();
        if (image == null || image.isBlank()) {
            throw new TemplateException(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "Template has no image configured");
        }
        return Response.of(service.start(image, resolved.name(), null));
    }
}
