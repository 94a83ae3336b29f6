package io.liteboxd.api.sandbox.reconcile;

import io.liteboxd.api.auth.InternalCaller;
import io.liteboxd.api.error.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Set;

/**
 * {@code POST /internal/v1/reconcile?trigger=startup|scheduled}: the leader-elected controller
 * asks for the reconcile pass here (docs/contract.md), so that with several API replicas it runs
 * once per interval, in whichever replica the Service picks, instead of once per replica. Only
 * the controller's internal token is accepted; not part of the public API.
 */
@Controller("/internal/v1/reconcile")
@Requires(beans = SandboxReconciler.class)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
class InternalReconcileController {

    private static final Set<String> TRIGGERS = Set.of("startup", "scheduled");

    private final SandboxReconciler reconciler;
    private final InternalCaller caller;

    InternalReconcileController(SandboxReconciler reconciler, InternalCaller caller) {
        this.reconciler = reconciler;
        this.caller = caller;
    }

    /** The run's id and outcome; the details are in {@code GET /api/v1/sandboxes/reconcile/runs/{id}}. */
    @Serdeable
    record Outcome(String id, String status) {}

    @Post
    @Status(HttpStatus.ACCEPTED)
    @Consumes(MediaType.ALL)
    Outcome run(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                @Nullable @QueryValue String trigger) {
        if (!caller.accepts(authorization)) {
            throw ApiException.unauthorized("internal token required");
        }
        String kind = trigger == null ? "scheduled" : trigger;
        if (!TRIGGERS.contains(kind)) {
            throw ApiException.badRequest("trigger must be startup or scheduled");
        }
        SandboxReconciler.Result result = reconciler.run(kind);
        if ("failed".equals(result.run().status())) {
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "reconcile failed: " + result.run().error());
        }
        return new Outcome(result.run().id(), result.run().status());
    }
}
