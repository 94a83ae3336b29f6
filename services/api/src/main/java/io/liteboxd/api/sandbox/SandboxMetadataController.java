package io.liteboxd.api.sandbox;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.error.FlatError;
import io.liteboxd.api.http.Paging;
import io.liteboxd.api.sandbox.SandboxViews.SandboxPage;
import io.liteboxd.api.storage.TimeText;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code GET /api/v1/sandboxes/metadata} (spec §5.1): every sandbox row, deleted ones included,
 * filtered and paged from the database alone (it needs no cluster).
 */
@Controller("/api/v1/sandboxes/metadata")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sandboxes")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
public class SandboxMetadataController {

    private final SandboxRepository sandboxes;
    private final SandboxUrlTemplate urls;
    private final JsonMapper json;

    SandboxMetadataController(SandboxRepository sandboxes, SandboxUrlTemplate urls, JsonMapper json) {
        this.sandboxes = sandboxes;
        this.urls = urls;
        this.json = json;
    }

    /**
     * @param id a sandbox id prefix
     * @param createdFrom RFC 3339, inclusive
     * @param createdTo RFC 3339, inclusive
     * @param deletedFrom RFC 3339, inclusive; only deleted sandboxes
     * @param deletedTo RFC 3339, inclusive; only deleted sandboxes
     * @param page 1-based (default 1)
     * @param pageSize default 20, at most 100
     */
    @Get
    @Operation(operationId = "querySandboxMetadata",
            summary = "Every sandbox row, deleted ones included, filtered and paged (no tokens)")
    @FlatError.BadRequest
    SandboxPage query(@Nullable @QueryValue String id, @Nullable @QueryValue String template,
                      @Nullable @QueryValue("desired_state") String desiredState,
                      @Nullable @QueryValue("lifecycle_status") String lifecycleStatus,
                      @Nullable @QueryValue("deletion_phase") String deletionPhase,
                      @Nullable @QueryValue("created_from") String createdFrom,
                      @Nullable @QueryValue("created_to") String createdTo,
                      @Nullable @QueryValue("deleted_from") String deletedFrom,
                      @Nullable @QueryValue("deleted_to") String deletedTo,
                      @Nullable @QueryValue String page, @Nullable @QueryValue("page_size") String pageSize) {
        Paging paging = Paging.of(page, pageSize);
        String prefix = blankToNull(id) == null ? null : escapeLike(id) + "%";
        String from = time("created_from", createdFrom);
        String to = time("created_to", createdTo);
        String deletedAfter = time("deleted_from", deletedFrom);
        String deletedBefore = time("deleted_to", deletedTo);
        var items = sandboxes.metadata(prefix, blankToNull(template), blankToNull(desiredState),
                        blankToNull(lifecycleStatus), blankToNull(deletionPhase), from, to, deletedAfter, deletedBefore,
                        paging.size(), paging.offset())
                .stream().map(s -> SandboxViews.of(s, null, urls, json)).toList();
        long total = sandboxes.countMetadata(prefix, blankToNull(template), blankToNull(desiredState),
                blankToNull(lifecycleStatus), blankToNull(deletionPhase), from, to, deletedAfter, deletedBefore);
        return new SandboxPage(items, total, paging.page(), paging.size());
    }

    /** RFC 3339 in, the stored TEXT layout out (so the database compares like with like). */
    private static String time(String name, @Nullable String value) {
        if (blankToNull(value) == null) {
            return null;
        }
        try {
            return TimeText.format(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("invalid " + name + ", expected RFC3339");
        }
    }

    private static String blankToNull(@Nullable String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** An id prefix is matched literally: LIKE's wildcards in it are escaped (ESCAPE '\'). */
    private static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
