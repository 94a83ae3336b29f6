package io.liteboxd.api.template;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.CodedError;
import io.liteboxd.api.http.Paging;
import io.liteboxd.api.template.TemplateViews.CreateRequest;
import io.liteboxd.api.template.TemplateViews.UpdateRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Part;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.multipart.CompletedFileUpload;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Template import and export as YAML (spec §7). */
@Controller("/api/v1/templates")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "templates")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@CodedError.Defaults
public class TemplateTransferController {

    static final MediaType YAML = MediaType.of("application/x-yaml");
    private static final Set<String> STRATEGIES = Set.of("create-only", "update-only", "create-or-update");

    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record ImportResult(@JsonInclude(JsonInclude.Include.ALWAYS) String name, String action,
                        @Nullable Integer version, @Nullable String error) {}

    @Serdeable
    record ImportResponse(int total, int created, int updated, int skipped, int failed, List<ImportResult> results,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<String> prepullStarted) {}

    private final TemplateService service;
    private final TemplateYaml yaml;
    private final java.util.Optional<ImagePrepuller> prepuller;

    TemplateTransferController(TemplateService service, TemplateYaml yaml, java.util.Optional<ImagePrepuller> prepuller) {
        this.prepuller = prepuller;
        this.service = service;
        this.yaml = yaml;
    }

    /**
     * @param file a SandboxTemplate or SandboxTemplateList YAML document
     * @param strategy {@code create-only}, {@code update-only} or {@code create-or-update} (the default)
     */
    @Post(value = "/import", consumes = MediaType.MULTIPART_FORM_DATA)
    @Operation(operationId = "importTemplates", summary = "Create or update templates from YAML, one result each")
    @CodedError.BadRequest
    @CodedError.TooLarge
    ImportResponse importTemplates(@Nullable @Part("file") CompletedFileUpload file,
                                   @Nullable @Part("strategy") String strategy,
                                   @Nullable @Part("prepull") String prepull) throws IOException {
        if (file == null) {
            throw TemplateException.invalid("file is required");
        }
        boolean pull = prepull != null && !prepull.isEmpty() && parseBool(prepull);
        String chosen = strategy == null || strategy.isEmpty() ? "create-or-update" : strategy;
        List<TemplateYaml.Entry> entries = yaml.read(new String(file.getBytes(), StandardCharsets.UTF_8));
        List<ImportResult> results = new ArrayList<>();
        for (TemplateYaml.Entry entry : entries) {
            results.add(STRATEGIES.contains(chosen)
                    ? importOne(entry, chosen)
                    : new ImportResult(entry.name(), "failed", null, "invalid strategy: " + chosen));
        }
        List<String> started = null;
        if (pull) {
            // Upstream's behaviour: every created or updated template's image, duplicates kept.
            started = new ArrayList<>();
            for (int i = 0; i < results.size(); i++) {
                String action = results.get(i).action();
                Object declared = entries.get(i).spec() == null ? null : entries.get(i).spec().get("image");
                String image = declared instanceof String text && !text.isBlank() ? text : null;
                if ((action.equals("created") || action.equals("updated")) && image != null) {
                    started.add(image);
                    prepuller.ifPresent(p -> p.prepullInBackground(image, null));
                }
            }
        }
        return new ImportResponse(results.size(), count(results, "created"), count(results, "updated"),
                count(results, "skipped"), count(results, "failed"), results, started);
    }

    /** Go's strconv.ParseBool, which upstream's form binding used: anything else is a 400. */
    private static boolean parseBool(String value) {
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw TemplateException.invalid("invalid prepull value: " + value);
        };
    }

    private ImportResult importOne(TemplateYaml.Entry entry, String strategy) {
        if (entry.name().isEmpty()) {
            return new ImportResult("", "failed", null, "template name is required");
        }
        boolean exists = service.exists(entry.name());
        if (exists && strategy.equals("create-only")) {
            return new ImportResult(entry.name(), "skipped", null, "template already exists (strategy=create-only)");
        }
        if (!exists && strategy.equals("update-only")) {
            return new ImportResult(entry.name(), "skipped", null, "template not found (strategy=update-only)");
        }
        try {
            TemplateSpec spec = yaml.spec(entry.spec());
            var saved = exists
                    ? service.update(entry.name(), new UpdateRequest(entry.displayName(), entry.description(),
                            entry.tags(), null, spec, "Imported from YAML"))
                    : service.create(new CreateRequest(entry.name(), entry.displayName(), entry.description(),
                            entry.tags(), true, spec, false));
            return new ImportResult(entry.name(), exists ? "updated" : "created", saved.latestVersion(), null);
        } catch (TemplateException e) {
            return new ImportResult(entry.name(), "failed", null, e.getMessage());
        }
    }

    /**
     * @param tag only templates carrying this tag
     * @param names comma-separated template names
     */
    @Get("/export") // no produces: with it, "Accept: application/json" (the Python SDK's) fell through to /{name}
    @Operation(operationId = "exportTemplates", summary = "Export templates as one SandboxTemplateList YAML document")
    @ApiResponse(responseCode = "200", description = "SandboxTemplateList YAML",
            content = @Content(mediaType = "application/x-yaml", schema = @Schema(type = "string")))
    HttpResponse<String> exportAll(@Nullable @QueryValue String tag, @Nullable @QueryValue String names) {
        Set<String> wanted = names == null || names.isEmpty() ? null : Set.copyOf(Arrays.asList(names.split(",")));
        var selected = service.all().stream()
                .filter(e -> tag == null || tag.isEmpty() || e.getKey().tags().contains(tag))
                .filter(e -> wanted == null || wanted.contains(e.getKey().name()))
                .toList();
        return HttpResponse.ok(yaml.writeList(selected, Instant.now())).contentType(YAML);
    }

    /** @param version the version to export (default: the latest) */
    @Get("/{name}/export")
    @Operation(operationId = "exportTemplate", summary = "Export one template version as SandboxTemplate YAML")
    @ApiResponse(responseCode = "200", description = "SandboxTemplate YAML",
            content = @Content(mediaType = "application/x-yaml", schema = @Schema(type = "string")))
    @CodedError.BadRequest
    @CodedError.NotFound
    HttpResponse<String> exportOne(@PathVariable String name, @Nullable @QueryValue String version) {
        int number = 0;
        if (version != null && !version.isEmpty()) {
            String digits = version.replaceFirst("^(-?\\d+).*$", "$1");
            if (!digits.matches("-?\\d+")) {
                throw TemplateException.invalid("invalid version number");
            }
            number = Paging.leadingInt(digits);
        }
        var template = service.get(name);
        int wanted = number > 0 ? number : template.latestVersion();
        var resolved = service.resolve(name, wanted).orElseThrow(() -> new TemplateException(HttpStatus.NOT_FOUND,
                "VERSION_NOT_FOUND", "version " + wanted + " not found"));
        return HttpResponse.ok(yaml.writeOne(template, resolved.spec())).contentType(YAML);
    }

    private static int count(List<ImportResult> results, String action) {
        return (int) results.stream().filter(r -> r.action().equals(action)).count();
    }
}
