package io.liteboxd.api.egress;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.error.FlatError;
import io.liteboxd.api.sandbox.SandboxRepository;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /api/v1/sandboxes/{id}/egress}: what the sandbox recently asked the egress proxy
 * for, allowed or denied, and the bytes it moved (not in upstream; docs/security.md, Egress).
 */
@Controller("/api/v1/sandboxes/{id}/egress")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "sandboxes")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
class EgressAuditController {

    private final SandboxRepository sandboxes;
    private final EgressAuditSettings settings;
    private final EgressAuditClient proxies;

    EgressAuditController(SandboxRepository sandboxes, EgressAuditSettings settings, EgressAuditClient proxies) {
        this.sandboxes = sandboxes;
        this.settings = settings;
        this.proxies = proxies;
    }

    @Get
    @Operation(operationId = "getSandboxEgress",
            summary = "The sandbox's recent egress decisions and traffic, from every egress proxy replica")
    @FlatError.NotFound
    @FlatError.NoAllowlist
    EgressAuditView get(@PathVariable String id) {
        // A deleted sandbox's records stay readable while the proxies still hold them.
        sandboxes.findById(id).orElseThrow(() -> ApiException.notFound("sandbox not found"));
        if (!settings.enabled()) {
            throw new ApiException(HttpStatus.CONFLICT, "the egress proxy is not enabled");
        }
        return proxies.recent(id);
    }
}
