package io.liteboxd.gateway.tunnel;

import io.liteboxd.common.websocket.CloseEcho;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One client WebSocket joined to one pod WebSocket. Frames keep their type and fragmentation.
 * Each direction holds at most about {@code liteboxd.gateway.tunnel-buffer-bytes} between the
 * read from one side and the write to the other (and all tunnels together their shared budget,
 * {@link BufferedBytes}): above it the pod is not asked for its next message, or the client's
 * connection is not read. Close codes pass through; a failure on one side closes the other with
 * 1011 (pod failed) or 1001 (client gone), as upstream's gateway did.
 */
public final class Tunnel {

    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final int maxFrameBytes;
    /** Client frames on their way to the pod; the valve is the client connection's autoRead. */
    private final BufferedBytes toPod;
    /** Pod messages on their way to the client; the valve is the pod socket's demand. */
    private final BufferedBytes toClient;
    private volatile WebSocket pod;
    private volatile WebSocketSession client;
    private volatile Channel clientChannel;
    private volatile boolean attached;
    private CompletableFuture<?> sendingToPod = CompletableFuture.completedFuture(null);
    private boolean podMessageContinues;
    private boolean clientMessageIsText;

    Tunnel(long bufferBytes, SharedBudget shared, int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.toPod = new BufferedBytes(bufferBytes, shared, new BufferedBytes.Valve() {
            @Override
            public void close() {
                autoRead(false);
            }

            @Override
            public void open() {
                autoRead(true);
            }
        });
        this.toClient = new BufferedBytes(bufferBytes, shared, new BufferedBytes.Valve() {
            @Override
            public void close() {
                // Nothing to do: the pod's next message is asked for only while there is room.
            }

            @Override
            public void open() {
                pod.request(1);
            }
        });
    }

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
        this.attached = true;
        pod.request(1);
    }

    /** Bytes this tunnel holds, both directions (for tests). */
    long bufferedBytes() {
        return toPod.held() + toClient.held();
    }

    /** Whether the client is being read (false: the pod's side is full). For tests. */
    boolean readingClient() {
        return toPod.reading();
    }

    /** Whether the pod is being read (false: the client's side is full). For tests. */
    boolean readingPod() {
        return toClient.reading();
    }

    private void autoRead(boolean on) {
        Channel channel = clientChannel;
        if (channel != null) {
            channel.config().setAutoRead(on);
        }
    }

    /** A frame from the client, to the pod in order. */
    synchronized void fromClient(WebSocketFrame frame) {
        boolean last = frame.isFinalFragment();
        int size = frame.content().readableBytes();
        if (size > maxFrameBytes) {
            closeClient(CloseReason.MESSAGE_TO_BIG.getCode(), "frame too large");
            return;
        }
        if (frame instanceof TextWebSocketFrame text) {
            clientMessageIsText = true;
            String data = text.text();
            chain(size, () -> pod.sendText(data, last));
        } else if (frame instanceof BinaryWebSocketFrame || (frame instanceof ContinuationWebSocketFrame && !clientMessageIsText)) {
            if (frame instanceof BinaryWebSocketFrame) {
                clientMessageIsText = false;
            }
            ByteBuffer data = ByteBuffer.wrap(ByteBufUtil.getBytes(frame.content()));
            chain(size, () -> pod.sendBinary(data, last));
        } else if (frame instanceof ContinuationWebSocketFrame continuation) {
            String data = continuation.text();
            chain(size, () -> pod.sendText(data, last));
        }
        // pings and pongs are answered hop by hop, not relayed
    }

    private void chain(int size, Supplier<CompletableFuture<WebSocket>> next) {
        toPod.add(size);
        sendingToPod = sendingToPod.thenCompose(v -> next.get()).whenComplete((v, e) -> {
            toPod.remove(size);
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

    /** The client's upgrade did not go through (or never came): let go of the pod. */
    void abandon() {
        WebSocket socket = pod;
        if (socket != null) {
            socket.abort();
        }
        finish();
    }

    void abandonUnlessConnected() {
        if (pod == null) {
            abandon();
        }
    }

    boolean isOver() {
        return closed.get();
    }

    void abandonUnlessAttached() {
        if (!attached) {
            abandon();
        }
    }

    private void finish() {
        if (closed.compareAndSet(false, true)) {
            toPod.release();
            toClient.release();
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
        int size = frame.content().readableBytes();
        boolean stopped = toClient.add(size);
        // Always through the event loop's queue: the pod's next message may be delivered on the
        // event loop itself (when a completed write asks for it), and a write made there directly
        // would overtake the writes still queued from other threads, mixing up fragments.
        clientChannel.eventLoop().execute(() -> send(frame).whenComplete((v, e) -> {
            toClient.remove(size);
            if (e != null) {
                clientClosed(CloseReason.GOING_AWAY.getCode(), "client_write_failed");
            }
        }));
        if (!stopped) {
            webSocket.request(1);
        }
        return null; // the message was copied into the frame: the pod socket may reuse its buffer
    }

    /** A session that closed meanwhile refuses at once rather than failing the future. */
    private CompletableFuture<?> send(WebSocketFrame frame) {
        try {
            return client.sendAsync(frame);
        } catch (RuntimeException e) {
            ReferenceCountUtil.release(frame);
            return CompletableFuture.failedFuture(e);
        }
    }
}
