package io.liteboxd.gateway.proxy;

import io.liteboxd.gateway.framing.StrictFraming;
import io.liteboxd.gateway.metrics.GatewayMetrics;
import io.liteboxd.gateway.tunnel.TunnelDialer;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.client.ProxyHttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.ReadTimeoutException;
import io.micronaut.http.filter.FilterContinuation;
import io.micronaut.http.filter.ServerFilterPhase;
import java.net.ConnectException;
import java.net.URI;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/sandbox/{id}/port/{port}/**}: checks the request against the pod cache and
 * streams it to the pod and the answer back (no buffering, pooled connections), or, for a
 * WebSocket upgrade, dials the pod first and lets the tunnel route take over. Runs after the
 * drain filter, so nothing new starts while draining. Everything here is non-blocking: it runs
 * on the connection's event loop.
 */
@ServerFilter(SandboxAddress.PREFIX + "**")
@Requires(beans = AccessCheck.class)
public class ProxyFilter implements Ordered {

    private final AccessCheck access;
    private final ProxyHttpClient pods;
    private final TunnelDialer tunnels;
    private final GatewayMetrics metrics;

    ProxyFilter(AccessCheck access, @Client(id = "sandbox") ProxyHttpClient pods, TunnelDialer tunnels,
                GatewayMetrics metrics) {
        this.access = access;
        this.pods = pods;
        this.tunnels = tunnels;
        this.metrics = metrics;
    }

    @RequestFilter
    public Publisher<MutableHttpResponse<?>> proxy(HttpRequest<?> request,
                                                   FilterContinuation<Publisher<MutableHttpResponse<?>>> chain) {
        long start = System.nanoTime();
        if (Cors.isPreflight(request)) {
            return Mono.just(done(Cors.preflight(request), start));
        }
        AccessCheck.Target target;
        SandboxAddress address;
        try {
            address = SandboxAddress.parse(request.getUri().getRawPath(), request.getUri().getRawQuery());
            if (address.path().isEmpty()) {
                return Mono.just(done(redirectToSlash(request), start));
            }
            String token = request.getHeaders().get(ProxyHeaders.ACCESS_TOKEN);
            target = access.admit(address, token != null ? token : address.queryToken());
            if (StrictFraming.isAmbiguous(request)) {
                // Request smuggling territory: refuse rather than guess which framing the pod uses.
                throw new GatewayError(HttpStatus.BAD_REQUEST, "ambiguous request framing");
            }
        } catch (GatewayError e) {
            return Mono.just(done(e.response(), start));
        }
        if (TunnelDialer.isUpgrade(request)) {
            return tunnels.dial(request, target, address)
                    .<MutableHttpResponse<?>>flatMap(tunnel -> Mono.from(chain.proceed())
                            .map(response -> tunnel.decorateHandshake(response)))
                    .onErrorResume(GatewayError.class, e -> Mono.<MutableHttpResponse<?>>just(done(e.response(), start)));
        }
        return Mono.from(pods.proxy(forward(request, target, address)))
                .<MutableHttpResponse<?>>map(response -> {
                    ProxyHeaders.stripHopByHop(response.getHeaders());
                    Cors.decorate(request, response);
                    return done(response, start);
                })
                .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(done(unreachable(e).response(), start)));
    }

    private MutableHttpRequest<?> forward(HttpRequest<?> request, AccessCheck.Target target, SandboxAddress address) {
        MutableHttpRequest<?> out = request.mutate()
                .uri(URI.create("http://" + target.podIp() + ":" + target.port() + address.pathAndQuery()));
        var headers = out.getHeaders();
        headers.remove(ProxyHeaders.ACCESS_TOKEN);
        ProxyHeaders.stripHopByHop(headers);
        ProxyHeaders.addForwarded(headers, request.getRemoteAddress().getAddress().getHostAddress(),
                request.isSecure() ? "https" : "http", request.getHeaders().get(HttpHeaders.HOST));
        return out;
    }

    /** {@code …/port/8080} → {@code …/port/8080/}, keeping the query (as upstream's router did). */
    private static MutableHttpResponse<?> redirectToSlash(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        URI location = URI.create(request.getUri().getRawPath() + "/" + (query == null ? "" : "?" + query));
        return HttpResponse.status(request.getMethod() == io.micronaut.http.HttpMethod.GET
                ? HttpStatus.MOVED_PERMANENTLY : HttpStatus.TEMPORARY_REDIRECT).headers(h -> h.location(location));
    }

    private GatewayError unreachable(Throwable e) {
        if (e instanceof ReadTimeoutException) {
            metrics.upstreamError("timeout");
            return new GatewayError(HttpStatus.GATEWAY_TIMEOUT, "the sandbox did not answer in time");
        }
        boolean connect = e instanceof ConnectException || e.getCause() instanceof ConnectException
                || String.valueOf(e.getMessage()).contains("Connect Error");
        metrics.upstreamError(connect ? "connect" : "other");
        return new GatewayError(HttpStatus.BAD_GATEWAY, connect
                ? "cannot connect to the sandbox on that port" : "the connection to the sandbox failed");
    }

    private MutableHttpResponse<?> done(MutableHttpResponse<?> response, long start) {
        metrics.request(response.code(), start);
        return response;
    }

    /** Right after the drain filter: refused work costs nothing, admitted work is counted. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.after();
    }
}
