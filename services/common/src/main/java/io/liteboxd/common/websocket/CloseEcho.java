package io.liteboxd.common.websocket;

import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;

/**
 * Answers a client's close frame with one of our own, as RFC 6455 §5.5.1 asks. Micronaut writes
 * that answer only for beans without an {@code @OnClose} method; with one, it closes the TCP
 * connection right after the method returns, and the client sees an abnormal closure (1006)
 * instead of the handshake it started. Call from {@code @OnClose}: the frame is written before
 * Micronaut closes the channel.
 */
public final class CloseEcho {

    private CloseEcho() {}

    public static void echo(WebSocketSession session, CloseReason received) {
        if (session == null || !session.isOpen()) {
            return;
        }
        int code = sendable(received == null ? CloseReason.NORMAL.getCode() : received.getCode());
        session.close(code == CloseReason.NORMAL.getCode() ? CloseReason.NORMAL : new CloseReason(code, ""));
    }

    /**
     * A received close code as one that may be sent on: itself, or 1000 for the codes that only
     * describe a missing or failed close frame (1005, 1006, 1015) or are otherwise never sent
     * (below 1000, 1004, 1016-2999, above 4999).
     */
    public static int sendable(int code) {
        boolean allowed = (code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006)
                || (code >= 3000 && code <= 4999);
        return allowed ? code : CloseReason.NORMAL.getCode();
    }
}
