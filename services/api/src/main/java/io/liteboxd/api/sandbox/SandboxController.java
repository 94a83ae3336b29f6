package io.liteboxd.api.sandbox;

import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.http.Paging;
import io.liteboxd.api.sandbox.SandboxViews.CreateRequest;
import io.liteboxd.api.sandbox.SandboxViews.HistoryItem;
import io.liteboxd.api.sandbox.SandboxViews.HistoryList;
import io.liteboxd.api.sandbox.SandboxViews.SandboxList;
import io.liteboxd.api.sandbox.SandboxViews.SandboxView;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** {@code /api/v1/sandboxes}: create, list, get (with token), delete, status history (spec §3). */
@Controller("/api/v1/sandboxes")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = SandboxSettings.class)
public class SandboxController {

    private final SandboxService service;
    private final SandboxRepository sandboxes;
    private final StatusHistoryRepository history;
    private final JsonMapper json;

    SandboxController(SandboxService service, SandboxRepository sandboxes, StatusHistoryRepository history,
                      JsonMapper json) {
        this.service = service;
        this.sandboxes = sandboxes;
        this.history = history;
        this.json = json;
    }

    @Post
    HttpResponse<SandboxView> create(@Body CreateRequest request) {
        SandboxService.Created created = service.create(request);
        return HttpResponse.created(view(created.sandbox(), created.token()));
    }

    @Get
    SandboxList list(@Nullable @QueryValue("include_terminating") String includeTerminating) {
        boolean include = includeTerminating == null || "true".equals(includeTerminating);
        return new SandboxList(service.list(include).stream().map(s -> view(s, null)).toList());
    }

    @Get("/{id}")
    SandboxView get(@PathVariable String id) {
        Sandbox row = sandboxes.findById(id).filter(s -> !"deleted".equals(s.lifecycleStatus()))
                .orElseThrow(() -> ApiException.notFound("sandbox not found"));
        return view(row, service.token(row));
    }

    @Delete("/{id}")
    HttpResponse<SandboxView> delete(@PathVariable String id) {
        return HttpResponse.<SandboxView>status(HttpStatus.ACCEPTED).body(view(service.delete(id), null));
    }

    @Get("/{id}/status-history")
    HistoryList statusHistory(@PathVariable String id, @Nullable @QueryValue String limit,
                              @Nullable @QueryValue("before_id") String beforeId) {
        int max = Paging.leadingInt(limit);
        max = max <= 0 ? 50 : Math.min(max, 200);
        long before = Paging.leadingInt(beforeId);
        return new HistoryList(history.page(id, before, max).stream()
                .map(h -> new HistoryItem(h.id(), h.sandboxId(), h.source(), h.fromStatus(), h.toStatus(),
                        h.reason(), h.payloadJson(), h.createdAt()))
                .toList());
    }

    private SandboxView view(Sandbox s, @Nullable String token) {
        return SandboxViews.of(s, token, json);
    }
}
