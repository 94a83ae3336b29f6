package io.liteboxd.api.sandbox;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.error.FlatError;
import io.liteboxd.api.http.Paging;
import io.liteboxd.api.metrics.SandboxMetrics;
import io.liteboxd.api.sandbox.SandboxViews.CreateRequest;
import io.liteboxd.api.sandbox.SandboxViews.HistoryItem;
import io.liteboxd.api.sandbox.SandboxViews.HistoryList;
import io.liteboxd.api.sandbox.SandboxViews.SandboxList;
import io.liteboxd.api.sandbox.SandboxViews.SandboxView;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Duration;
import java.util.Map;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code /api/v1/sandboxes}: create, list, get (with token), delete, status history, and stop,
 * start and restart of persistent sandboxes (spec §3).
 */
@Controller("/api/v1/sandboxes")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = SandboxSettings.class)
@Tag(name = "sandboxes")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
public class SandboxController {

    private final SandboxService service;
    private final SandboxRepository sandboxes;
    private final StatusHistoryRepository history;
    private final SandboxUrlTemplate urls;
    private final JsonMapper json;
    private final SandboxListCache listCache;
    private final PersistentSandboxes persistent;
    private final SandboxMetrics metrics;

    SandboxController(SandboxService service, SandboxRepository sandboxes, StatusHistoryRepository history,
                      SandboxUrlTemplate urls, JsonMapper json, SandboxListCache listCache,
                      PersistentSandboxes persistent, SandboxMetrics metrics) {
        this.persistent = persistent;
        this.metrics = metrics;
        this.service = service;
        this.listCache = listCache;
        this.sandboxes = sandboxes;
        this.history = history;
        this.urls = urls;
        this.json = json;
    }

    @Post
    @Status(HttpStatus.CREATED)
    @Operation(operationId = "createSandbox", summary = "Create a sandbox from a template (with its accessToken)")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.TooLarge
    @FlatError.SandboxLimit
    HttpResponse<SandboxView> create(@Body CreateRequest request) {
        long started = System.nanoTime();
        SandboxService.Created created;
        try {
            created = service.create(request);
        } catch (RuntimeException e) {
            metrics.createFailed(e instanceof ApiException api ? api.status().getCode() : 500);
            throw e;
        }
        metrics.created(created.path(), Duration.ofNanos(System.nanoTime() - started));
        return HttpResponse.<SandboxView>status(HttpStatus.CREATED).body(view(created.sandbox(), created.token()))
                .header(CREATE_PATH_HEADER, created.path().wire());
    }

    /** Which way {@code POST} made the sandbox: {@code pool} or {@code cold} ({@link CreatePath}). */
    public static final String CREATE_PATH_HEADER = "X-Liteboxd-Create-Path";

    /**
     * @param includeTerminating {@code true} (the default) also lists sandboxes being deleted
     */
    @Get
    @Operation(operationId = "listSandboxes", summary = "List live sandboxes, newest first (no tokens)")
    @ApiResponse(responseCode = "200", description = "The sandboxes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SandboxList.class)))
    HttpResponse<byte[]> list(@Nullable @QueryValue("include_terminating") String includeTerminating) {
        boolean include = includeTerminating == null || "true".equals(includeTerminating);
        // Serialized row by row and kept (SandboxListCache): the same JSON as SandboxList of views.
        return HttpResponse.ok(listCache.list(include)).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Get("/{id}")
    @Operation(operationId = "getSandbox", summary = "Get a sandbox with its decrypted accessToken")
    @FlatError.NotFound
    SandboxView get(@PathVariable String id) {
        Sandbox row = sandboxes.findById(id).filter(s -> !s.isDeleted())
                .orElseThrow(() -> ApiException.notFound("sandbox not found"));
        return view(row, service.token(row));
    }

    @Delete("/{id}")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "deleteSandbox", summary = "Request deletion; it completes asynchronously (idempotent)")
    @FlatError.NotFound
    SandboxView delete(@PathVariable String id) {
        return view(service.delete(id), null);
    }

    /**
     * @param limit at most this many rows, newest first (default 50, at most 200)
     * @param beforeId only rows with a smaller id (the cursor for the next page)
     */
    @Get("/{id}/status-history")
    @Operation(operationId = "getSandboxStatusHistory", summary = "Lifecycle transitions of a sandbox, newest first")
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

    @Post("/{id}/restart")
    @Consumes(MediaType.ALL) // any body or none, ignored (spec §19.1)
    @Operation(operationId = "restartSandbox", summary = "Restart a persistent sandbox: its pod is replaced, "
            + "the root filesystem kept")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.Conflict
    Map<String, String> restart(@PathVariable String id) {
        return persistent.restart(id);
    }

    @Post("/{id}/stop")
    @Consumes(MediaType.ALL) // any body or none, ignored (spec §19.1)
    @Operation(operationId = "stopSandbox", summary = "Stop a persistent sandbox (scaled to 0; its TTL pauses)")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.Conflict
    Map<String, String> stop(@PathVariable String id) {
        return persistent.stop(id);
    }

    @Post("/{id}/start")
    @Consumes(MediaType.ALL) // any body or none, ignored (spec §19.1)
    @Operation(operationId = "startSandbox", summary = "Start a stopped persistent sandbox (its expiry moves by "
            + "the time spent stopped)")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.Conflict
    Map<String, String> start(@PathVariable String id) {
        return persistent.start(id);
    }

    private SandboxView view(Sandbox s, @Nullable String token) {
        return SandboxViews.of(s, token, urls, json);
    }
}
