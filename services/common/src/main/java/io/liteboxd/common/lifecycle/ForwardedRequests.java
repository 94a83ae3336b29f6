package io.liteboxd.common.lifecycle;

import io.micronaut.http.HttpRequest;

/**
 * Requests a service passes on to someone else even though their path names one of its own
 * endpoints: on a sandbox's host, {@code /health} is the sandbox's page, not the gateway's probe.
 * {@link DrainFilter} exempts probes and management by path; a request this says is forwarded is
 * never exempt, so it is refused while draining and waited for like any other.
 */
@FunctionalInterface
public interface ForwardedRequests {

    boolean isForwarded(HttpRequest<?> request);
}
