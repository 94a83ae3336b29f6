package io.liteboxd.gateway.tunnel;

import io.liteboxd.common.websocket.CloseEcho;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client WebSocket joined to one pod WebSocket. Frames keep their type and fragmentation;
 * each direction has backpressure: the pod is asked for its next message only once the previous
 * one was written to the client, and the client's connection stops being read while too many of
 * its messages wait for the pod. Close codes pass through; a failure on one side closes the
 * other with 1011 (pod failed) or 1001 (client gone), as upstream's gateway did.
 */
public final class Tunnel {

    private static final int PAUSE_READING_AT = 32;
    private static final int RESUME_READING_AT = 8;

    private final AtomicInteger pendingToPod = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile WebSocket pod;
    private volatile WebSocketSession client;
    private volatile Channel clientChannel;
    private CompletableFuture<?> sendingToPod = CompletableFuture.completedFuture(null);
    private boolean podMessageContinues;
    private boolean clientMessageIsText;

    void connected(WebSocket socket) {
        this.pod = socket;
    }

    /** Completes when both sides are closed. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** Echoes the pod's chosen subprotocol in the client's handshake. */
    public MutableHttpResponse<?> decorateHandshake(MutableHttpResponse<?> response) {
        String protocol = pod.getSubprotocol();
        if (protocol != null && !protocol.isEmpty()) {
            response.header("Sec-WebSocket-Protocol", protocol);
        }
        return response;
    }

    /** The client side is open: start relaying the pod's messages. */
    void attach(WebSocketSession session, Channel channel) {
        this.client = session;
        this.clientChannel = channel;
        pod.request(1);
    }

    /** A frame from the client, to the pod in order. */
    synchronized void fromClient(WebSocketFrame frame) {
        boolean last = frame.isFinalFragment();
        Runnable send;
        if (frame instanceof TextWebSocketFrame text) {
            clientMessageIsText = true;
            String data = text.text();
            send = () -> chain(() -> pod.sendText(data, last));
        } else if (frame instanceof BinaryWebSocketFrame || (frame instanceof ContinuationWebSocketFrame && !clientMessageIsText)) {
            if (frame instanceof BinaryWebSocketFrame) {
                clientMessageIsText = false;
            }
            ByteBuffer data = ByteBuffer.wrap(io.netty.buffer.ByteBufUtil.getBytes(frame.content()));
            send = () -> chain(() -> pod.sendBinary(data, last));
        } else if (frame instanceof ContinuationWebSocketFrame continuation) {
            String data = continuation.text();
            send = () -> chain(() -> pod.sendText(data, last));
        } else {
            return; // pings and pongs are answered hop by hop, not relayed
        }
        send.run();
    }

    private void chain(java.util.function.Supplier<CompletableFuture<WebSocket>> next) {
        if (pendingToPod.incrementAndGet() >= PAUSE_READING_AT && clientChannel != null) {
            clientChannel.config().setAutoRead(false);
        }
        sendingToPod = sendingToPod.thenCompose(v -> next.get()).whenComplete((v, e) -> {
            if (pendingToPod.decrementAndGet() <= RESUME_READING_AT && clientChannel != null) {
                clientChannel.config().setAutoRead(true);
            }
            if (e != null) {
                closeClient(CloseReason.INTERNAL_ERROR.getCode(), "upstream_write_failed");
            }
        });
    }

    /** The client closed (or failed): tell the pod, then let go after a grace period. */
    synchronized void clientClosed(int code, String reason) {
        int forward = CloseEcho.sendable(code);
        WebSocket socket = pod;
        if (socket != null && !socket.isOutputClosed()) {
            sendingToPod.handle((v, e) -> socket.sendClose(legalForJdk(forward), reason == null ? "" : reason))
                    .orTimeout(3, TimeUnit.SECONDS)
                    .whenComplete((v, e) -> socket.abort());
        }
        finish();
    }

    private void closeClient(int code, String reason) {
        WebSocketSession session = client;
        if (session != null && session.isOpen()) {
            session.close(new CloseReason(code, reason));
        }
        WebSocket socket = pod;
        if (socket != null) {
            socket.abort();
        }
        finish();
    }

    private void finish() {
        if (closed.compareAndSet(false, true)) {
            ended.complete(null);
        }
    }

    /** The JDK client refuses to send codes reserved for the endpoints themselves. */
    private static int legalForJdk(int code) {
        return switch (code) {
            case 1002, 1003, 1006, 1007, 1009, 1010, 1012, 1013, 1015 -> 1000;
            default -> code >= 1000 && code <= 4999 ? code : 1000;
        };
    }

    WebSocket.Listener podListener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                // No request(1) yet: messages wait in the pod's socket until the client side is attached.
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                WebSocketFrame frame = podMessageContinues
                        ? new ContinuationWebSocketFrame(last, 0, data.toString())
                        : new TextWebSocketFrame(last, 0, data.toString());
                podMessageContinues = !last;
                return toClient(webSocket, frame);
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                var bytes = Unpooled.copiedBuffer(data);
                WebSocketFrame frame = podMessageContinues
                        ? new ContinuationWebSocketFrame(last, 0, bytes)
                        : new BinaryWebSocketFrame(last, 0, bytes);
                podMessageContinues = !last;
                return toClient(webSocket, frame);
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                if (statusCode == 1006) {
                    // The JDK reports a connection that dropped without a close frame as 1006:
                    // that is a failure of the pod's side, not a close it chose.
                    closeClient(CloseReason.INTERNAL_ERROR.getCode(), "upstream_read_failed");
                } else {
                    closeClient(CloseEcho.sendable(statusCode), reason);
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeClient(CloseReason.INTERNAL_ERROR.getCode(), "upstream_read_failed");
            }
        };
    }

    private CompletionStage<?> toClient(WebSocket webSocket, WebSocketFrame frame) {
        return client.sendAsync(frame).whenComplete((v, e) -> {
            if (e != null) {
                clientClosed(CloseReason.GOING_AWAY.getCode(), "client_write_failed");
            } else {
                webSocket.request(1);
            }
        });
    }
}
