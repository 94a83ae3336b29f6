package io.liteboxd.gateway.tunnel;

import io.liteboxd.common.lifecycle.Drain;
import io.liteboxd.common.websocket.CloseEcho;
import io.liteboxd.gateway.metrics.GatewayMetrics;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client side of WebSocket tunnels, whichever route accepted the upgrade (path mode's
 * {@link TunnelSocket}, host mode's {@link HostTunnelSocket}). The proxy filter has already
 * authenticated the request and connected to the pod ({@link TunnelDialer}); this only joins the
 * two. Each tunnel counts toward drain: a rollout waits for it (up to the drain deadline)
 * instead of cutting it.
 */
@Singleton
public class TunnelEndpoint {

    private final Map<String, Tunnel> open = new ConcurrentHashMap<>();
    private final Drain drain;
    private final GatewayMetrics metrics;

    TunnelEndpoint(Drain drain, GatewayMetrics metrics) {
        this.drain = drain;
        this.metrics = metrics;
    }

    void open(WebSocketSession session, HttpRequest<?> request) {
        Tunnel tunnel = request.getAttribute(TunnelDialer.ATTRIBUTE, Tunnel.class).orElse(null);
        if (tunnel == null) {
            session.close(CloseReason.INTERNAL_ERROR);
            return;
        }
        Drain.Session admitted;
        try {
            admitted = drain.open("tunnel");
        } catch (Drain.DrainingException e) {
            tunnel.clientClosed(CloseReason.GOING_AWAY.getCode(), "gateway_draining");
            session.close(CloseReason.SERVICE_RESTART);
            return;
        }
        metrics.tunnelOpened();
        tunnel.ended().whenComplete((v, e) -> {
            admitted.close();
            metrics.tunnelClosed();
            open.remove(session.getId());
        });
        open.put(session.getId(), tunnel);
        tunnel.attach(session, ((NettyHttpRequest<?>) request).getChannelHandlerContext().channel());
    }

    void message(WebSocketFrame frame, WebSocketSession session) {
        Tunnel tunnel = open.get(session.getId());
        if (tunnel != null) {
            tunnel.fromClient(frame);
        }
    }

    void close(WebSocketSession session, CloseReason reason) {
        Tunnel tunnel = open.remove(session.getId());
        if (tunnel != null) {
            tunnel.clientClosed(reason == null ? 1000 : reason.getCode(), reason == null ? "" : reason.getReason());
        }
        CloseEcho.echo(session, reason);
    }

    void error(WebSocketSession session, Throwable error) {
        Tunnel tunnel = open.remove(session.getId());
        if (tunnel != null) {
            tunnel.clientClosed(CloseReason.GOING_AWAY.getCode(), "client_read_failed");
        }
    }

    /** The open tunnels (for tests: what they hold, whether they read). */
    Iterable<Tunnel> tunnels() {
        return open.values();
    }
}
