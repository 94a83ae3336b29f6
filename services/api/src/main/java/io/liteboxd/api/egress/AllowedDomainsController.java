package io.liteboxd.api.egress;

import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.FlatError;
import io.liteboxd.api.sandbox.SandboxSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code /api/v1/sandboxes/{id}/allowed-domains}: read and replace a running sandbox's domain
 * allowlist without restarting it (not in upstream; docs/security.md, Egress).
 */
@Controller("/api/v1/sandboxes/{id}/allowed-domains")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = SandboxSettings.class)
@Tag(name = "sandboxes")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
class AllowedDomainsController {

    private final SandboxAllowlists allowlists;

    AllowedDomainsController(SandboxAllowlists allowlists) {
        this.allowlists = allowlists;
    }

    @Get
    @Operation(operationId = "getSandboxAllowedDomains", summary = "The domains a sandbox behind the egress proxy may reach")
    @FlatError.NotFound
    @FlatError.NoAllowlist
    AllowedDomainsView get(@PathVariable String id) {
        return new AllowedDomainsView(allowlists.current(id));
    }

    @Put
    @Operation(operationId = "putSandboxAllowedDomains",
            summary = "Replace a running sandbox's domain allowlist (applies within seconds, no restart)")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.NoAllowlist
    AllowedDomainsView put(@PathVariable String id, @Body AllowedDomainsView body) {
        return new AllowedDomainsView(allowlists.replace(id, body.allowedDomains()));
    }
}
