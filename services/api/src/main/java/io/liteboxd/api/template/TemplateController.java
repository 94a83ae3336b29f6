package io.liteboxd.api.template;

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
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** {@code /api/v1/templates}: CRUD, versions and rollback (spec §6). */
@Controller("/api/v1/templates")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TemplateController {

    private final TemplateService service;

    TemplateController(TemplateService service) {
        this.service = service;
    }

    @Post
    HttpResponse<TemplateView> create(@Body CreateRequest request) {
        return HttpResponse.created(service.create(request));
    }

    /** Paging is lenient like upstream (unparsable → default) but clamps instead of resetting. */
    @Get
    TemplatePage list(@Nullable @QueryValue String tag, @Nullable @QueryValue String search,
                      @Nullable @QueryValue String page, @Nullable @QueryValue String pageSize) {
        Paging paging = Paging.of(page, pageSize);
        return service.list(tag, search, paging.page(), paging.size());
    }

    @Get("/{name}")
    TemplateView get(@PathVariable String name) {
        return service.get(name);
    }

    @Put("/{name}")
    TemplateView update(@PathVariable String name, @Body UpdateRequest request) {
        return service.update(name, request);
    }

    @Delete("/{name}")
    HttpResponse<Void> delete(@PathVariable String name) {
        service.delete(name);
        return HttpResponse.noContent();
    }

    @Get("/{name}/versions")
    VersionList versions(@PathVariable String name) {
        var items = service.versions(name);
        return new VersionList(items, items.size());
    }

    @Get("/{name}/versions/{version}")
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
    RollbackResponse rollback(@PathVariable String name, @Body RollbackRequest request) {
        return service.rollback(name, request);
    }
}
