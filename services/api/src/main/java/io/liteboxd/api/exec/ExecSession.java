package io.liteboxd.api.exec;

import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * One running {@code pods/exec} over the Kubernetes WebSocket protocol {@code v5.channel.k8s.io}:
 * every message starts with a channel byte (0 stdin, 1 stdout, 2 stderr, 3 status, 4 resize);
 * v5 adds {@code [255, channel]} to close a stream, which is how stdin reaches end-of-file
 * (client-java's own {@code Exec} speaks only v4, where stdin can never be closed).
 *
 * <p>Output is handed to {@link Output} on OkHttp's reader thread; a consumer that blocks there
 * slows the pod down through TCP, which is the backpressure we want. Writes to stdin block while
 * more than {@link #MAX_QUEUED} bytes wait to be sent, because OkHttp closes a web socket whose
 * send queue outgrows 16 MiB; if that queue does not shrink for {@code stallTimeout}, the exec is
 * cut (a command that stopped reading would otherwise hold the writer forever). Waiting for the API
 * server to accept the exec is bounded by {@code startTimeout}.
 */
public final class ExecSession implements AutoCloseable {

    /** Receives output chunks; {@code data} is a fresh copy the receiver may keep. */
    public interface Output {
        void stdout(byte[] data);

        void stderr(byte[] data);
    }

    static final String PROTOCOL = "v5.channel.k8s.io";
    private static final byte STDIN = 0;
    private static final byte STDOUT = 1;
    private static final byte STDERR = 2;
    private static final byte STATUS = 3;
    private static final byte RESIZE = 4;
    private static final byte CLOSE = (byte) 255;
    private static final long MAX_QUEUED = 1 << 20;
    private static final int MAX_FRAME = 32 * 1024;

    private final CompletableFuture<ExecExit> exit = new CompletableFuture<>();
    private final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
    private final AtomicBoolean stdinClosed = new AtomicBoolean();
    private final Output output;
    private final JsonMapper json;
    private final Duration startTimeout;
    private final Duration stallTimeout;
    private volatile WebSocket socket;
    /** The WebSocket while its handshake runs, so that giving up on it can cancel it. */
    private volatile WebSocket connecting;

    ExecSession(Output output, JsonMapper json, Duration startTimeout, Duration stallTimeout) {
        this.output = output;
        this.json = json;
        this.startTimeout = startTimeout;
        this.stallTimeout = stallTimeout;
    }

    /** Completes once with the exit code or the failure; never exceptionally. */
    public CompletableFuture<ExecExit> exit() {
        return exit;
    }

    /**
     * Waits until Kubernetes accepted the exec, at most {@code startTimeout}; false when it failed or
     * timed out, and then {@link #exit()} is complete and says why.
     */
    public boolean awaitOpen() throws InterruptedException {
        try {
            opened.get(startTimeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (TimeoutException e) {
            exit.complete(ExecExit.timedOut("the API server did not start the command within "
                    + startTimeout.toSeconds() + "s"));
            close();
            return false;
        }
    }

    /** Sends bytes to the command's stdin, blocking while the send queue is full. */
    public void writeStdin(byte[] data, int offset, int length) throws IOException {
        for (int at = offset; at < offset + length; at += MAX_FRAME) {
            int n = Math.min(MAX_FRAME, offset + length - at);
            byte[] frame = new byte[n + 1];
            frame[0] = STDIN;
            System.arraycopy(data, at, frame, 1, n);
            send(ByteString.of(frame));
        }
    }

    /** End-of-file on the command's stdin. */
    public void closeStdin() throws IOException {
        if (stdinClosed.compareAndSet(false, true)) {
            send(ByteString.of(CLOSE, STDIN));
        }
    }

    /** A terminal size change (only meaningful with a TTY). */
    public void resize(int cols, int rows) throws IOException {
        byte[] size = ("{\"Width\":" + cols + ",\"Height\":" + rows + "}").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[size.length + 1];
        frame[0] = RESIZE;
        System.arraycopy(size, 0, frame, 1, size.length);
        send(ByteString.of(frame));
    }

    /** Drops the connection. The command itself may keep running in the pod; see {@link PodExec#killTree}. */
    @Override
    public void close() {
        WebSocket ws = socket != null ? socket : connecting;
        if (ws != null) {
            ws.cancel();
        }
        exit.complete(ExecExit.failed("exec cancelled"));
    }

    /** The WebSocket {@link PodExec} started for this session (before its handshake completes). */
    void connecting(WebSocket webSocket) {
        this.connecting = webSocket;
        if (exit.isDone()) {
            webSocket.cancel(); // closed meanwhile
        }
    }

    private void send(ByteString frame) throws IOException {
        WebSocket ws = socket;
        if (ws == null || exit.isDone()) {
            throw new IOException("exec stream is closed");
        }
        long queued = ws.queueSize();
        long deadline = System.nanoTime() + stallTimeout.toNanos();
        while (queued > MAX_QUEUED) {
            if (exit.isDone()) {
                throw new IOException("exec stream is closed");
            }
            if (Thread.interrupted()) {
                throw new InterruptedIOException();
            }
            LockSupport.parkNanos(200_000);
            long now = ws.queueSize();
            if (now < queued) {
                deadline = System.nanoTime() + stallTimeout.toNanos(); // it moves, however slowly
            } else if (System.nanoTime() - deadline > 0) {
                exit.complete(ExecExit.timedOut("the command took no input for " + stallTimeout.toSeconds() + "s"));
                close();
                throw new IOException("exec stream stalled");
            }
            queued = now;
        }
        if (!ws.send(frame)) {
            throw new IOException("exec stream is closed");
        }
    }

    /** The OkHttp side: demultiplexes channels and settles {@link #exit}. */
    WebSocketListener listener() {
        return new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                if (exit.isDone()) {
                    webSocket.cancel(); // given up on (start timeout, closed) before it opened
                    return;
                }
                socket = webSocket;
                String protocol = response.header("Sec-WebSocket-Protocol");
                if (!PROTOCOL.equals(protocol)) {
                    // Without v5 stdin can never be closed: refuse rather than hang uploads.
                    webSocket.cancel();
                    fail("the API server does not speak " + PROTOCOL + " (got " + protocol + ")");
                    return;
                }
                opened.complete(webSocket);
            }

            @Override
            public void onMessage(WebSocket webSocket, ByteString bytes) {
                if (bytes.size() <= 1) {
                    return; // the per-channel hello that opens each stream
                }
                byte[] payload = bytes.substring(1).toByteArray();
                switch (bytes.getByte(0)) {
                    case STDOUT -> output.stdout(payload);
                    case STDERR -> output.stderr(payload);
                    case STATUS -> exit.complete(ExecStatus.parse(json, payload));
                    default -> { }
                }
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(1000, null);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                fail("exec stream closed before the command ended");
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                if (response != null && response.code() >= 400) {
                    fail("exec refused by the API server: HTTP " + response.code());
                } else {
                    fail("exec stream failed: " + t.getClass().getSimpleName()
                            + (t.getMessage() == null ? "" : ": " + t.getMessage()));
                }
            }

            private void fail(String why) {
                exit.complete(ExecExit.failed(why));
                opened.completeExceptionally(new IOException(why));
            }
        };
    }
}
