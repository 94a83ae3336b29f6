package io.liteboxd.api.selftest;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.CodedError;
import io.liteboxd.api.template.TemplateException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Optional;

/**
 * {@code POST /api/v1/templates/{name}/verify[?version=N]}: the isolation self-test (ours; upstream
 * has none). Answers 200 with the report whether or not the checks pass; 4xx/5xx only when the
 * test cannot be carried out (no such template or version, a cap, no room for a sandbox).
 */
@Controller("/api/v1/templates")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "templates")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@CodedError.Defaults
public class SelfTestController {

    private final Optional<SelfTestService> service;

    SelfTestController(Optional<SelfTestService> service) {
        this.service = service;
    }

    @Post("/{name}/verify")
    @Consumes(MediaType.ALL)  // no body: any or no Content-Type (curl -X POST, an SDK's bare POST)
    @Operation(operationId = "verifyTemplate", summary = "Start a sandbox from the template and report, from inside "
            + "it, what it can reach and which limits are in effect")
    @CodedError.BadRequest
    @CodedError.NotFound
    IsolationReport verify(@PathVariable String name, @Nullable @QueryValue String version) throws InterruptedException {
        int number = 0;
        if (version != null && !version.isEmpty()) {
            try {
                number = Integer.parseInt(version);
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1) {
                throw new TemplateException(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "version must be a number >= 1");
            }
        }
        return service.orElseThrow(() -> new TemplateException(HttpStatus.SERVICE_UNAVAILABLE, "NO_CLUSTER",
                "kubernetes is not configured")).verify(name, number);
    }
}
