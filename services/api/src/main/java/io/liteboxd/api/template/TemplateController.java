package io.liteboxd.api.template;

import java.util.Optional;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.CodedError;
import io.liteboxd.api.template.TemplateViews.CreateRequest;
import io.liteboxd.api.template.TemplateViews.RollbackRequest;
import io.liteboxd.api.template.TemplateViews.RollbackResponse;
import io.liteboxd.api.template.TemplateViews.TemplatePage;
import io.liteboxd.api.template.TemplateViews.TemplateView;
import io.liteboxd.api.template.TemplateViews.UpdateRequest;
import io.liteboxd.api.template.TemplateViews.VersionList;
import io.liteboxd.api.template.TemplateViews.VersionView;
import io.liteboxd.api.http.Paging;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** {@code /api/v1/templates}: CRUD, versions and rollback (spec §6). */
@Controller("/api/v1/templates")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "templates")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@CodedError.Defaults
public class TemplateController {

    private final TemplateService service;
    private final Optional<ImagePrepuller> prepuller;

    TemplateController(TemplateService service, Optional<ImagePrepuller> prepuller) {
        this.service = service;
        this.prepuller = prepuller;
    }

    @Post
    @Status(HttpStatus.CREATED)
    @Operation(operationId = "createTemplate", summary = "Create a template with its version 1")
    @CodedError.BadRequest
    @CodedError.Conflict
    @CodedError.TooLarge
    TemplateView create(@Body CreateRequest request) {
        TemplateView created = service.create(request);
        if (Boolean.TRUE.equals(request.autoPrepull()) && request.spec() != null && request.spec().image() != null) {
            prepuller.ifPresent(p -> p.prepullInBackground(request.spec().image(), request.name()));
        }
        return created;
    }

    /**
     * Paging is lenient like upstream (unparsable → default) but clamps instead of resetting.
     *
     * @param tag only templates carrying this tag
     * @param search a case-insensitive substring of name, display name or description
     * @param page 1-based (default 1)
     * @param pageSize default 20, at most 100
     */
    @Get
    @Operation(operationId = "listTemplates", summary = "List templates, newest first, each with its latest spec")
    TemplatePage list(@Nullable @QueryValue String tag, @Nullable @QueryValue String search,
                      @Nullable @QueryValue String page, @Nullable @QueryValue String pageSize) {
        Paging paging = Paging.of(page, pageSize);
        return service.list(tag, search, paging.page(), paging.size());
    }

    @Get("/{name}")
    @Operation(operationId = "getTemplate", summary = "Get a template with its latest spec")
    @CodedError.NotFound
    TemplateView get(@PathVariable String name) {
        return service.get(name);
    }

    @Put("/{name}")
    @Operation(operationId = "updateTemplate", summary = "Update metadata and add a new version with the given spec")
    @CodedError.BadRequest
    @CodedError.NotFound
    @CodedError.TooLarge
    TemplateView update(@PathVariable String name, @Body UpdateRequest request) {
        return service.update(name, request);
    }

    @Delete("/{name}")
    @Status(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteTemplate", summary = "Delete a template and its versions (sandboxes keep running)")
    @CodedError.NotFound
    void delete(@PathVariable String name) {
        service.delete(name);
    }

    @Get("/{name}/versions")
    @Operation(operationId = "listTemplateVersions", summary = "All versions of a template, newest first")
    @CodedError.NotFound
    VersionList versions(@PathVariable String name) {
        var items = service.versions(name);
        return new VersionList(items, items.size());
    }

    @Get("/{name}/versions/{version}")
    @Operation(operationId = "getTemplateVersion", summary = "One version of a template")
    @CodedError.BadRequest
    @CodedError.NotFound
    VersionView version(@PathVariable String name, @PathVariable String version) {
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw TemplateException.invalid("Invalid version number");
        }
        return service.version(name, number);
    }

    @Post("/{name}/rollback")
    @Operation(operationId = "rollbackTemplate", summary = "Add a new version that copies an older version's spec")
    @CodedError.BadRequest
    @CodedError.NotFound
    @CodedError.TooLarge
    RollbackResponse rollback(@PathVariable String name, @Body RollbackRequest request) {
        return service.rollback(name, request);
    }
}
