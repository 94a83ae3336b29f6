package io.liteboxd.gateway.tunnel;

import io.liteboxd.gateway.sandbox.GatewaySettings;
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
 * Path mode's WebSocket route. Micronaut upgrades only requests that match a WebSocket route,
 * so the route has to exist; all it does is hand over to {@link TunnelEndpoint}.
 */
// {+path} takes the leading slash, so the port's root ("/port/8765/") matches too: with
// ".../{port}/{+path}" an empty tail found no route and the upgrade got 404.
@ServerWebSocket("/api/v1/sandbox/{id}/port/{port}{+path}")
public class TunnelSocket {

    private final TunnelEndpoint endpoint;

    TunnelSocket(TunnelEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @OnOpen
    public void open(WebSocketSession session, HttpRequest<?> request) {
        endpoint.open(session, request);
    }

    // The decoder's limit; liteboxd.gateway.max-frame-bytes can only lower it (Tunnel checks).
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
