package io.liteboxd.gateway.tunnel;

import io.liteboxd.gateway.sandbox.GatewaySettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnError;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Host mode's WebSocket route: on a sandbox's own host every path is the sandbox's. It exists
 * only with a sandbox domain; the proxy filter answers 404 to anything it would match on other
 * hosts, so the gateway's own endpoints (more specific routes) are never shadowed by it and a
 * stray upgrade is never accepted without a tunnel.
 */
@ServerWebSocket("/{+path}")
@Requires(property = "liteboxd.gateway.sandbox-domain", pattern = ".*[^\\s.].*")
public class HostTunnelSocket {

    private final TunnelEndpoint endpoint;

    HostTunnelSocket(TunnelEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @OnOpen
    public void open(WebSocketSession session, HttpRequest<?> request) {
        endpoint.open(session, request);
    }

    @OnMessage(maxPayloadLength = GatewaySettings.FRAME_CEILING)
    public void message(WebSocketFrame frame, WebSocketSession session) {
        endpoint.message(frame, session);
    }

    @OnClose
    public void close(WebSocketSession session, CloseReason reason) {
        endpoint.close(session, reason);
    }

    @OnError
    public void error(WebSocketSession session, Throwable error) {
        endpoint.error(session, error);
    }
}
