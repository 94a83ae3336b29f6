package io.liteboxd.api.exec;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.FlatError;
import io.liteboxd.api.metrics.SandboxMetrics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.liteboxd.api.error.ApiException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.util.List;

/** {@code POST /api/v1/sandboxes/{id}/exec} (spec §3.6), without upstream's 60-second ceiling. */
@Controller("/api/v1/sandboxes/{id}/exec")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = CommandRunner.class)
@Tag(name = "sandboxes")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
public class ExecController {

    @Serdeable
    record ExecRequest(@Nullable List<String> command, @Nullable Integer timeout) {}

    @Serdeable
    record ExecResponse(@JsonProperty("exit_code") int exitCode, String stdout, String stderr) {}

    private final SandboxTargets targets;
    private final CommandRunner runner;
    private final ExecSettings settings;
    private final SandboxMetrics metrics;

    ExecController(SandboxTargets targets, CommandRunner runner, ExecSettings settings, SandboxMetrics metrics) {
        this.metrics = metrics;
        this.targets = targets;
        this.runner = runner;
        this.settings = settings;
    }

    @Post
    @Operation(operationId = "execSandbox", summary = "Run a command to completion: exit code, stdout and stderr "
            + "apart; killed in the sandbox with exit_code 124 at its timeout (default 30 s, max liteboxd.exec.max-timeout)")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.NotRunning
    @FlatError.TooManyExecs
    ExecResponse exec(@PathVariable String id, @Body ExecRequest request) throws InterruptedException {
        if (request.command() == null || request.command().isEmpty()) {
            throw ApiException.badRequest("command is required");
        }
        Duration timeout = request.timeout() == null || request.timeout() <= 0
                ? settings.defaultTimeout() : Duration.ofSeconds(request.timeout());
        if (timeout.compareTo(settings.maxTimeout()) > 0) {
            throw ApiException.badRequest("timeout must be <= " + settings.maxTimeout().toSeconds());
        }
        // From here on, what the caller waits for: finding the pod, the exec and the command itself.
        // Refusals (400/404/409/429) are not execs and stay out of the histogram.
        long start = System.nanoTime();
        CommandRunner.Result result = runner.run(targets.running(id), request.command(), timeout);
        metrics.exec(Duration.ofNanos(System.nanoTime() - start));
        return new ExecResponse(result.exitCode(), result.stdout(), result.stderr());
    }
}
