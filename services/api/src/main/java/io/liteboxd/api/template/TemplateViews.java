package io.liteboxd.api.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;

/** The JSON bodies of the template routes, field names as upstream (camelCase here). */
final class TemplateViews {

    private TemplateViews() {}

    @Serdeable
    @Schema(requiredProperties = {"name", "spec"})
    record CreateRequest(@Nullable String name, @Nullable String displayName, @Nullable String description,
                         @Nullable List<String> tags, @Nullable Boolean isPublic, @Nullable TemplateSpec spec,
                         @Nullable Boolean autoPrepull) {}

    /** {@code null} leaves a field as it is; an empty string or list clears it. */
    @Serdeable
    @Schema(requiredProperties = "spec")
    record UpdateRequest(@Nullable String displayName, @Nullable String description, @Nullable List<String> tags,
                         @Nullable Boolean isPublic, @Nullable TemplateSpec spec, @Nullable String changelog) {}

    @Serdeable
    @Schema(requiredProperties = "targetVersion")
    record RollbackRequest(@Nullable Integer targetVersion, @Nullable String changelog) {}

    @Serdeable
    @Schema(name = "Template")
    record TemplateView(String id, String name, String displayName, String description, List<String> tags,
                        String author, boolean isPublic, int latestVersion, Instant createdAt, Instant updatedAt,
                        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable TemplateSpec spec) {}

    @Serdeable
    record TemplatePage(List<TemplateView> items, long total, int page, int pageSize) {}

    @Serdeable
    @Schema(name = "TemplateVersion")
    record VersionView(String id, String templateId, int version, TemplateSpec spec, String changelog,
                       String createdBy, Instant createdAt) {}

    @Serdeable
    record VersionList(List<VersionView> items, int total) {}

    @Serdeable
    record RollbackResponse(String id, String name, int latestVersion, int rolledBackFrom, int rolledBackTo,
                            Instant updatedAt) {}
}
