package io.liteboxd.gateway.proxy;

import io.liteboxd.common.lifecycle.ForwardedRequests;
import io.liteboxd.gateway.sandbox.GatewaySettings;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/**
 * In host mode every request for a host under the sandbox domain is a sandbox's, whatever its
 * path: {@code 8080-<id>.<domain>/health} is the sandbox's page. The drain filter must count and,
 * while draining, refuse those like any proxied request instead of exempting them as probes.
 */
@Singleton
class SandboxHostRequests implements ForwardedRequests {

    private final GatewaySettings settings;

    SandboxHostRequests(GatewaySettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean isForwarded(HttpRequest<?> request) {
        return SandboxHost.isUnderDomain(request.getHeaders().get(HttpHeaders.HOST), settings.sandboxDomain());
    }
}
