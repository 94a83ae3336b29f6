package io.liteboxd.gateway.proxy;

import io.liteboxd.gateway.activity.GatewayActivity;
import io.liteboxd.gateway.credentials.CredentialFilter;
import io.liteboxd.gateway.credentials.SandboxResponseHeaders;
import io.liteboxd.gateway.framing.StrictFraming;
import io.liteboxd.gateway.metrics.GatewayMetrics;
import io.liteboxd.gateway.metrics.GatewayMetrics.Kind;
import io.liteboxd.gateway.sandbox.GatewaySettings;
import io.liteboxd.gateway.tunnel.TunnelDialer;
import io.liteboxd.gateway.wake.WakeWaiters;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
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
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import java.net.ConnectException;
import java.net.URI;
import java.util.Optional;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Requests for sandbox ports: on a sandbox's own host ({@code <port>-<id>.<sandbox domain>},
 * host mode) whatever the path, elsewhere under {@code /api/v1/sandbox/{id}/port/{port}/}
 * (path mode). Checks the request against the pod cache (a request for a stopped persistent
 * sandbox is held while it wakes, {@link WakeWaiters}) and streams it to the pod and the answer
 * back (no buffering, pooled connections), or, for a WebSocket upgrade, dials the pod first and
 * lets the tunnel route take over. Neither way does a control-plane credential reach
 * the pod ({@link CredentialFilter}) or a cookie set by the pod reach the control plane
 * ({@link SandboxResponseHeaders}). Runs after the drain filter, so nothing new starts while
 * draining. Everything here is non-blocking: it runs on the connection's event loop.
 *
 * <p>Micronaut matches routes before filters, so this filter sees every request and lets
 * through only what is not addressed to a sandbox; it never proceeds for a sandbox's HTTP
 * request, and a sandbox host's {@code /health} is the sandbox's, not the gateway's.</p>
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = AccessCheck.class)
public class ProxyFilter implements Ordered {

    private final AccessCheck access;
    private final ProxyHttpClient pods;
    private final TunnelDialer tunnels;
    private final GatewayMetrics metrics;
    private final GatewaySettings settings;
    private final WakeWaiters waiters;
    private final GatewayActivity activity;

    ProxyFilter(AccessCheck access, @Client(id = "sandbox") ProxyHttpClient pods, TunnelDialer tunnels,
                GatewayMetrics metrics, GatewaySettings settings, WakeWaiters waiters, GatewayActivity activity) {
        this.access = access;
        this.waiters = waiters;
        this.activity = activity;
        this.pods = pods;
        this.tunnels = tunnels;
        this.metrics = metrics;
        this.settings = settings;
    }

    @RequestFilter
    public Publisher<MutableHttpResponse<?>> proxy(HttpRequest<?> request,
                                                   FilterContinuation<Publisher<MutableHttpResponse<?>>> chain) {
        long start = System.nanoTime();
        SandboxAddress address;
        try {
            address = address(request).orElse(null);
        } catch (GatewayError e) {
            return Mono.just(done(e.response(), start));
        }
        if (address == null) {
            return notForASandbox(request) ? chain.proceed() : Mono.just(new GatewayError(HttpStatus.NOT_FOUND,
                    "not found").response());
        }
        if (Cors.isPreflight(request)) {
            return Mono.just(done(Cors.preflight(request), start));
        }
        if (address.path().isEmpty()) {
            return Mono.just(done(redirectToSlash(request), start));
        }
        AccessCheck.Admission admission;
        PresentedToken token = PresentedToken.of(request, address);
        try {
            if (!address.pathMode()) {
                token.refuseCrossSiteCookie(request.getMethod(), request.getHeaders().get("Sec-Fetch-Site"),
                        request.getHeaders().get("Sec-Fetch-Mode"));
            }
            admission = access.admit(address, token.candidates());
            if (StrictFraming.isAmbiguous(request)) {
                // Request smuggling territory: refuse rather than guess which framing the pod uses.
                throw new GatewayError(HttpStatus.BAD_REQUEST, "ambiguous request framing");
            }
        } catch (GatewayError e) {
            return Mono.just(done(e.response(), start));
        }
        if (TunnelDialer.isUpgrade(request)) {
            return ready(request, admission)
                    .flatMap(target -> {
                        long sent = System.nanoTime();
                        return tunnels.dial(request, target, address).doOnNext(t -> metrics.upstream(Kind.WEBSOCKET, sent));
                    })
                    .<MutableHttpResponse<?>>flatMap(tunnel -> {
                        activity.whileOpen(address.sandboxId(), tunnel.ended());
                        return Mono.from(chain.proceed()).map(response -> {
                            metrics.proxied(Kind.WEBSOCKET, start);
                            return tunnel.decorateHandshake(response);
                        });
                    })
                    .onErrorResume(GatewayError.class, e -> Mono.<MutableHttpResponse<?>>just(
                            answered(Kind.WEBSOCKET, e.response(), start)));
        }
        if (TokenCookie.wanted(request, token)) {
            return Mono.just(done(TokenCookie.redirect(request, address, token.value()), start));
        }
        return ready(request, admission)
                .<MutableHttpResponse<?>>flatMap(target -> {
                    activity.touch(address.sandboxId());
                    long sent = System.nanoTime();
                    return Mono.from(pods.proxy(forward(request, target, address)))
                            .<MutableHttpResponse<?>>map(response -> {
                                metrics.upstream(Kind.HTTP, sent);
                                ProxyHeaders.stripHopByHop(response.getHeaders());
                                SandboxResponseHeaders.isolate(response.getHeaders(), address.mountPath(),
                                        settings.pathModeCsp());
                                Cors.decorate(request, response);
                                return answered(Kind.HTTP, response, start);
                            })
                            .onErrorResume(e -> Mono.<MutableHttpResponse<?>>just(
                                    answered(Kind.HTTP, unreachable(e).response(), start)));
                })
                // Only ready()'s failures get here (a wake that failed or timed out): the client was held.
                .onErrorResume(GatewayError.class, e -> Mono.<MutableHttpResponse<?>>just(
                        answered(Kind.HTTP, e.response(), start)));
    }

    /**
     * The pod to go to: at once for a running sandbox; for a persistent one without a Ready pod,
     * once it has one (woken if stopped), back on the connection's event loop.
     */
    private Mono<AccessCheck.Target> ready(HttpRequest<?> request, AccessCheck.Admission admission) {
        if (admission instanceof AccessCheck.Target target) {
            return Mono.just(target);
        }
        Mono<AccessCheck.Target> woken = waiters.await((AccessCheck.Admission.Await) admission);
        return request instanceof NettyHttpRequest<?> netty
                ? woken.publishOn(Schedulers.fromExecutor(netty.getChannelHandlerContext().channel().eventLoop()))
                : woken;
    }

    /** The sandbox port a request is for: its host first (host mode), then its path. */
    private Optional<SandboxAddress> address(HttpRequest<?> request) {
        String rawPath = request.getUri().getRawPath();
        String rawQuery = request.getUri().getRawQuery();
        Optional<SandboxHost> host = SandboxHost.match(request.getHeaders().get(HttpHeaders.HOST), settings.sandboxDomain());
        if (host.isPresent()) {
            return Optional.of(SandboxAddress.ofHost(host.get(), rawPath, rawQuery));
        }
        if (rawPath.startsWith(SandboxAddress.PREFIX)) {
            return Optional.of(SandboxAddress.ofPath(rawPath, rawQuery));
        }
        return Optional.empty();
    }

    /**
     * The gateway's own endpoints are the only other thing it serves. An upgrade elsewhere, or a
     * request that only host mode's catch-all WebSocket route matched, is a 404 here rather than a
     * socket accepted without a tunnel or Micronaut's "not a WebSocket request".
     */
    private static boolean notForASandbox(HttpRequest<?> request) {
        if (TunnelDialer.isUpgrade(request)) {
            return false;
        }
        // Micronaut routes a WebSocket class's @OnOpen and @OnMessage methods as GETs.
        return RouteAttributes.getRouteInfo(request)
                .map(route -> !route.isAnnotationPresent(OnOpen.class) && !route.isAnnotationPresent(OnMessage.class))
                .orElse(true);
    }

    private MutableHttpRequest<?> forward(HttpRequest<?> request, AccessCheck.Target target, SandboxAddress address) {
        MutableHttpRequest<?> out = request.mutate()
                .uri(URI.create("http://" + target.podIp() + ":" + target.port() + address.pathAndQuery()));
        var headers = out.getHeaders();
        CredentialFilter.strip(headers);
        ProxyHeaders.stripHopByHop(headers);
        ProxyHeaders.addForwarded(headers, request.getRemoteAddress().getAddress().getHostAddress(),
                request.isSecure() ? "https" : "http", request.getHeaders().get(HttpHeaders.HOST));
        return out;
    }

    /** {@code …/port/8080} → {@code …/port/8080/}, keeping the query (as upstream's router did). */
    private static MutableHttpResponse<?> redirectToSlash(HttpRequest<?> request) {
        String query = request.getUri().getRawQuery();
        URI location = URI.create(request.getUri().getRawPath() + "/" + (query == null ? "" : "?" + query));
        return HttpResponse.status(request.getMethod() == HttpMethod.GET
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

    /**
     * {@link #done} for a request that was admitted (it passed the access check): it also counts
     * toward {@code liteboxd_gateway_request_seconds}, which leaves refusals out so they cannot
     * make the proxy look faster than it is.
     */
    private MutableHttpResponse<?> answered(Kind kind, MutableHttpResponse<?> response, long start) {
        metrics.proxied(kind, start);
        return done(response, start);
    }

    /** Right after the drain filter: refused work costs nothing, admitted work is counted. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.after();
    }
}
