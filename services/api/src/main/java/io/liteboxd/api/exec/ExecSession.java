package io.liteboxd.api.exec;

import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
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
 * send queue outgrows 16 MiB.
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
    private volatile WebSocket socket;

    ExecSession(Output output, JsonMapper json) {
        this.output = output;
        this.json = json;
    }

    /** Completes once with the exit code or the failure; never exceptionally. */
    public CompletableFuture<ExecExit> exit() {
        return exit;
    }

    /** Waits until Kubernetes accepted the exec (or it failed; then {@link #exit()} says why). */
    public boolean awaitOpen() throws InterruptedException {
        try {
            opened.get();
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
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
        WebSocket ws = socket;
        if (ws != null) {
            ws.cancel();
        }
        exit.complete(ExecExit.failed("exec cancelled"));
    }

    private void send(ByteString frame) throws IOException {
        WebSocket ws = socket;
        if (ws == null || exit.isDone()) {
            throw new IOException("exec stream is closed");
        }
        while (ws.queueSize() > MAX_QUEUED) {
            if (exit.isDone()) {
                throw new IOException("exec stream is closed");
            }
            if (Thread.interrupted()) {
                throw new InterruptedIOException();
            }
            LockSupport.parkNanos(200_000);
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
