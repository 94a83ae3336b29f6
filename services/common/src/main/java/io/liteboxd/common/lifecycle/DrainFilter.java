package io.liteboxd.common.lifecycle;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.context.event.HttpRequestTerminatedEvent;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Counts in-flight HTTP requests for {@link Drain} and, while draining, answers every request
 * except the probes and management endpoints with 503 {@code {"error":"service is draining"}}
 * (upstream's body), so that a proxy retries on another pod.
 *
 * <p>A request is released when the server has written its response to the end or given up on
 * the connection ({@link HttpRequestTerminatedEvent}), not when the filter chain returns:
 * a streamed body is still being written after that, and the event also comes for errors and
 * clients that went away.</p>
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class DrainFilter implements Ordered {

    /** Upstream's body for a request refused while draining. */
    @Serdeable
    public record DrainingError(String error) {
        static final DrainingError INSTANCE = new DrainingError("service is draining");
    }

    private static final String ATTRIBUTE = DrainFilter.class.getName() + ".request";

    private final Drain drain;
    private final String managementPrefix;
    @Nullable
    private final ForwardedRequests forwarded;

    DrainFilter(Drain drain, @Value("${endpoints.all.path:/}") String managementPath,
                @Nullable ForwardedRequests forwarded) {
        this.drain = drain;
        this.forwarded = forwarded;
        String trimmed = managementPath.endsWith("/") ? managementPath.substring(0, managementPath.length() - 1) : managementPath;
        // With management endpoints at the root there is no prefix to exempt.
        this.managementPrefix = trimmed.isEmpty() ? null : trimmed;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<DrainingError> admit(HttpRequest<?> request) {
        if (isExempt(request.getPath()) && (forwarded == null || !forwarded.isForwarded(request))) {
            return null;
        }
        if (isWebSocketUpgrade(request)) {
            // An accepted upgrade never ends as an HTTP request (no terminated event): the
            // WebSocket handler registers a Drain.Session instead. Refuse it while draining.
            return drain.isDraining() ? draining() : null;
        }
        Drain.Session admitted = drain.admitRequest();
        if (admitted == null) {
            return draining();
        }
        request.setAttribute(ATTRIBUTE, admitted);
        return null;
    }

    @EventListener
    void onTerminated(HttpRequestTerminatedEvent event) {
        event.getSource().getAttribute(ATTRIBUTE, Drain.Session.class).ifPresent(Drain.Session::close);
    }

    /** Probes and management (metrics) must keep answering while draining, and are not work to wait for. */
    private boolean isExempt(String path) {
        return path.equals("/health") || path.equals("/readyz")
                || (managementPrefix != null && (path.equals(managementPrefix) || path.startsWith(managementPrefix + "/")));
    }

    private static boolean isWebSocketUpgrade(HttpRequest<?> request) {
        return "websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeaders.UPGRADE));
    }

    private static HttpResponse<DrainingError> draining() {
        // Connection: close, so a client or proxy holding a keep-alive connection to this pod
        // opens its next one through the Service, to a pod that is still ready.
        return HttpResponse.<DrainingError>status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.CONNECTION, "close")
                .body(DrainingError.INSTANCE);
    }

    /** First of all filters: a request this pod will not serve should cost nothing (no auth lookup). */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
