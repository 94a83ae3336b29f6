package io.liteboxd.api.sandbox.reconcile;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.error.FlatError;
import io.liteboxd.api.http.Paging;
import io.liteboxd.api.sandbox.reconcile.ReconcileViews.ItemView;
import io.liteboxd.api.sandbox.reconcile.ReconcileViews.RunDetail;
import io.liteboxd.api.sandbox.reconcile.ReconcileViews.RunList;
import io.liteboxd.api.sandbox.reconcile.ReconcileViews.RunView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
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
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/sandboxes/reconcile} (spec §5.4): trigger a run and read past runs. Reading needs
 * only the database; triggering needs the cluster connection.
 */
@Controller("/api/v1/sandboxes/reconcile")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "reconcile")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
public class ReconcileController {

    private final Optional<SandboxReconciler> reconciler;
    private final ReconcileRunRepository runs;
    private final ReconcileItemRepository items;

    ReconcileController(Optional<SandboxReconciler> reconciler, ReconcileRunRepository runs,
                        ReconcileItemRepository items) {
        this.reconciler = reconciler;
        this.runs = runs;
        this.items = items;
    }

    /** Runs a full pass synchronously; 202 like upstream, with the run and its items. */
    @Post
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "triggerReconcile", summary = "Compare the database with the cluster now and fix drift")
    @FlatError.NoCluster
    RunDetail trigger() {
        SandboxReconciler.Result result = reconciler
                .orElseThrow(() -> new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "kubernetes is not configured"))
                .run("manual");
        if ("failed".equals(result.run().status())) {
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "reconcile failed: " + result.run().error());
        }
        return detail(result.run(), result.items());
    }

    /** @param limit at most this many runs, newest first (default 20, at most 100) */
    @Get("/runs")
    @Operation(operationId = "listReconcileRuns", summary = "Past reconcile runs, newest first")
    RunList list(@Nullable @QueryValue String limit) {
        int max = Paging.leadingInt(limit);
        max = max <= 0 ? 20 : Math.min(max, 100);
        return new RunList(runs.newest(max).stream().map(RunView::of).toList());
    }

    @Get("/runs/{id}")
    @Operation(operationId = "getReconcileRun", summary = "A reconcile run with the drift it found")
    @FlatError.NotFound
    RunDetail get(@PathVariable String id) {
        ReconcileRun run = runs.findById(id).orElseThrow(() -> ApiException.notFound("reconcile run not found"));
        return detail(run, items.ofRun(id));
    }

    private static RunDetail detail(ReconcileRun run, List<ReconcileItem> found) {
        return new RunDetail(RunView.of(run), found.stream().map(ItemView::of).toList());
    }
}
