package io.liteboxd.gateway.tunnel;

import io.liteboxd.gateway.credentials.CredentialFilter;
import io.liteboxd.gateway.proxy.AccessCheck;
import io.liteboxd.gateway.proxy.GatewayError;
import io.liteboxd.gateway.proxy.SandboxAddress;
import io.liteboxd.gateway.sandbox.GatewaySettings;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.simple.SimpleHttpHeaders;
import io.micronaut.http.server.netty.NettyHttpRequest;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * The first half of a WebSocket tunnel: connect to the pod before the client's upgrade is
 * answered, so a pod that refuses is reported to the client as an HTTP status (the pod's own, or
 * 502) rather than as a socket that opens and dies, and so the subprotocol the pod chose can be
 * echoed in the client's handshake. The pod gets the client's headers minus the control plane's
 * credentials ({@link CredentialFilter}), as proxied HTTP requests do.
 */
@Singleton
public class TunnelDialer {

    static final String ATTRIBUTE = Tunnel.class.getName();
    /** Set by the handshake itself, or meaningful only between the client and the gateway. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "upgrade", "content-length",
            "expect", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
            "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
            "sec-websocket-accept");

    private final HttpClient client;
    private final GatewaySettings settings;
    private final TunnelLimits limits;

    TunnelDialer(GatewaySettings settings, TunnelLimits limits) {
        this.settings = settings;
        this.limits = limits;
        this.client = HttpClient.newBuilder().connectTimeout(settings.tunnelHandshakeTimeout()).build();
    }

    public static boolean isUpgrade(HttpRequest<?> request) {
        String upgrade = request.getHeaders().get(HttpHeaders.UPGRADE);
        String connection = request.getHeaders().get(HttpHeaders.CONNECTION);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket")
                && connection != null && connection.toLowerCase(Locale.ROOT).contains("upgrade");
    }

    /**
     * Connects to the pod; the tunnel is attached to the request for the WebSocket route to take.
     * Fails with 503 when {@code max-tunnels} are open.
     */
    public Mono<Tunnel> dial(HttpRequest<?> request, AccessCheck.Target target, SandboxAddress address) {
        if (!limits.tryOpen()) {
            return Mono.error(new GatewayError(HttpStatus.SERVICE_UNAVAILABLE, "too many open tunnels"));
        }
        Tunnel tunnel = limits.newTunnel();
        tunnel.ended().whenComplete((v, e) -> limits.closed());
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(settings.tunnelHandshakeTimeout());
        forwardedHeaders(request).forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        builder.header("X-Forwarded-For", request.getRemoteAddress().getAddress().getHostAddress());
        String protocols = request.getHeaders().get("Sec-WebSocket-Protocol");
        if (protocols != null && !protocols.isBlank()) {
            List<String> offered = Arrays.stream(protocols.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toList();
            if (!offered.isEmpty()) {
                builder.subprotocols(offered.getFirst(), offered.subList(1, offered.size()).toArray(String[]::new));
            }
        }
        URI uri = URI.create("ws://" + target.podIp() + ":" + target.port() + address.pathAndQuery());
        // Continue on the client connection's event loop: Micronaut completes the upgrade on the
        // thread the filter chain resumes on, and from any other thread it answers 101 before its
        // frame handler is in place, losing a frame the client sends at once.
        Executor eventLoop = request instanceof NettyHttpRequest<?> netty
                ? netty.getChannelHandlerContext().channel().eventLoop()
                : Runnable::run;
        CompletableFuture<WebSocket> connecting = builder.buildAsync(uri, tunnel.podListener());
        // A dial the client gave up on still completes: let that socket go.
        connecting.thenAccept(socket -> {
            if (tunnel.isOver()) {
                socket.abort();
            }
        });
        return Mono.fromFuture(connecting.<WebSocket>thenApplyAsync(socket -> socket, eventLoop), true)
                .map(socket -> {
                    tunnel.connected(socket);
                    request.setAttribute(ATTRIBUTE, tunnel);
                    // A client that goes away between this and its upgrade never opens the
                    // tunnel's client side: give the pod connection and the slot back.
                    CompletableFuture.delayedExecutor(settings.tunnelHandshakeTimeout().toMillis(),
                            TimeUnit.MILLISECONDS).execute(tunnel::abandonUnlessAttached);
                    return tunnel;
                })
                .doOnError(e -> tunnel.abandon())
                // Micronaut cancels the filter's publisher once it has the response, so a cancel
                // after the dial succeeded is normal; only one before it means the client left.
                .doOnCancel(tunnel::abandonUnlessConnected)
                .onErrorMap(TunnelDialer::refusal);
    }

    /** The client's handshake headers the pod may see. */
    static MutableHttpHeaders forwardedHeaders(HttpRequest<?> request) {
        MutableHttpHeaders headers = new SimpleHttpHeaders();
        request.getHeaders().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> headers.add(name, value));
            }
        });
        CredentialFilter.strip(headers);
        return headers;
    }

    private static Throwable refusal(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof WebSocketHandshakeException handshake) {
            int status = handshake.getResponse().statusCode();
            return new GatewayError(HttpStatus.valueOf(status >= 400 ? status : 502),
                    "failed to connect to backend websocket: the sandbox answered " + status);
        }
        return new GatewayError(HttpStatus.BAD_GATEWAY, "failed to connect to backend websocket: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }
}
