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
        int code = received == null ? 1000 : received.getCode();
        // 1005, 1006 and 1015 describe a missing or failed close frame and must never be sent.
        boolean sendable = code == 1000 || (code >= 1001 && code <= 1014 && code != 1005 && code != 1006)
                || (code >= 3000 && code <= 4999);
        session.close(sendable ? new CloseReason(code, "") : CloseReason.NORMAL);
    }
}
