package io.liteboxd.api.usage;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.FlatError;
import io.liteboxd.api.exec.SandboxTargets;
import io.liteboxd.api.sandbox.Sandbox;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Per-sandbox CPU and memory for the console, and where they come from (docs/console.md). */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = {SandboxTargets.class, UsageService.class})
@Tag(name = "console")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
public class UsageController {

    private final SandboxTargets targets;
    private final UsageService usage;
    private final MetricsSource source;

    UsageController(SandboxTargets targets, UsageService usage, MetricsSource source) {
        this.targets = targets;
        this.usage = usage;
        this.source = source;
    }

    @Get("/sandboxes/{id}/usage")
    @Operation(operationId = "getSandboxUsage", summary = "The sandbox pod's CPU (cores) and memory (working-set "
            + "bytes) now; source null with a message when there are none (no metrics source, no running pod)")
    @FlatError.NotFound
    UsageView sandboxUsage(@PathVariable String id) {
        Sandbox row = targets.sandbox(id);
        return usage.usage(targets.podOf(row));
    }

    @Get("/metrics-source")
    @Operation(operationId = "getMetricsSource", summary = "Where usage comes from: metrics-server (metrics.k8s.io), "
            + "prometheus (configured or found), none, or detecting")
    MetricsSourceView metricsSource() {
        return source.current();
    }

    @Post("/metrics-source/detect")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "detectMetricsSource", summary = "Look for a metrics source again (asynchronously); "
            + "poll getMetricsSource until kind is no longer detecting")
    MetricsSourceView detect() {
        return source.detectAgain();
    }
}
