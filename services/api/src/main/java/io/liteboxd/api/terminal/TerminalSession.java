package io.liteboxd.api.terminal;

import io.liteboxd.api.exec.ExecExit;
import io.liteboxd.api.exec.ExecSession;
import io.micronaut.json.JsonMapper;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins one browser/SDK WebSocket to one pod exec. Output goes out as {@code output} frames as it
 * arrives (blocking the exec reader while the client is slow: backpressure up to the pod); the
 * client's {@code input} and {@code resize} frames are applied in order by one virtual thread, so
 * a full exec send queue never blocks the server's event loop. A client that takes no output for
 * {@code stallTimeout} ({@code EXEC_STALL_TIMEOUT}) ends the session: the exec is dropped rather
 * than held open behind a reader that will never read.
 */
final class TerminalSession implements ExecSession.Output {

    private static final Logger LOG = LoggerFactory.getLogger(TerminalSession.class);
    /** Inputs waiting for the exec; beyond this the client is typing faster than any shell reads. */
    private static final int MAX_PENDING_INPUTS = 1024;

    private final WebSocketSession socket;
    private final JsonMapper json;
    private final Utf8Chunks stdoutText = new Utf8Chunks();
    private final Utf8Chunks stderrText = new Utf8Chunks();
    private final BlockingQueue<TerminalFrame> inputs = new LinkedBlockingQueue<>(MAX_PENDING_INPUTS);
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Duration stallTimeout;
    private volatile ExecSession exec;
    private volatile boolean stalled;

    TerminalSession(WebSocketSession socket, JsonMapper json, Duration stallTimeout) {
        this.socket = socket;
        this.json = json;
        this.stallTimeout = stallTimeout;
    }

    /** Starts relaying once the exec exists; {@code onEnd} runs once when the session is over. */
    void attach(ExecSession exec, Runnable onEnd) {
        this.exec = exec;
        Thread.ofVirtual().name("terminal-input-" + socket.getId()).start(this::applyInputs);
        exec.exit().thenAccept(exit -> {
            end(exit);
            onEnd.run();
        });
    }

    /** A client frame; unknown types and bad JSON are ignored, as upstream does. */
    void received(String message) {
        TerminalFrame frame;
        try {
            frame = json.readValue(message, TerminalFrame.class);
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (frame == null || !("input".equals(frame.type()) || "resize".equals(frame.type()))) {
            return;
        }
        if (!inputs.offer(frame)) {
            LOG.warn("terminal {}: client input overflow, closing", socket.getId());
            closeClient(CloseReason.MESSAGE_TO_BIG);
        }
    }

    /** The client went away: end the command's input so a shell exits, then drop the stream. */
    void clientClosed() {
        ExecSession current = exec;
        if (current != null && !ended.get()) {
            try {
                current.closeStdin();
            } catch (IOException ignored) {
                // already gone
            }
            current.exit().completeOnTimeout(ExecExit.failed("client went away"), 2, TimeUnit.SECONDS)
                    .thenRun(current::close);
        }
    }

    @Override
    public void stdout(byte[] data) {
        send(TerminalFrame.output(stdoutText.decode(data)));
    }

    @Override
    public void stderr(byte[] data) {
        send(TerminalFrame.output(stderrText.decode(data)));
    }

    private void applyInputs() {
        try {
            while (!ended.get()) {
                TerminalFrame frame = inputs.poll(1, TimeUnit.SECONDS);
                if (frame == null) {
                    continue;
                }
                if ("input".equals(frame.type()) && frame.data() != null) {
                    byte[] bytes = frame.data().getBytes(StandardCharsets.UTF_8);
                    exec.writeStdin(bytes, 0, bytes.length);
                } else if ("resize".equals(frame.type()) && frame.cols() != null && frame.rows() != null
                        && frame.cols() > 0 && frame.rows() > 0) {
                    exec.resize(frame.cols(), frame.rows());
                }
            }
        } catch (IOException e) {
            // The exec ended meanwhile; its exit frame tells the client.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void end(ExecExit exit) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        String rest = stdoutText.finish() + stderrText.finish();
        if (!rest.isEmpty()) {
            send(TerminalFrame.output(rest));
        }
        send(TerminalFrame.exit(exit.failed() ? 1 : exit.code()));
        closeClient(CloseReason.NORMAL);
    }

    void send(TerminalFrame frame) {
        if (stalled || !socket.isOpen()) {
            return;
        }
        try {
            socket.sendAsync(json.writeValueAsString(frame)).get(stallTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            stalled = true;
            LOG.warn("terminal {}: the client took no output for {}s, ending the session", socket.getId(),
                    stallTimeout.toSeconds());
            ExecSession current = exec;
            if (current != null) {
                current.close();
            }
            closeClient(CloseReason.GOING_AWAY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | IOException | RuntimeException e) {
            LOG.debug("terminal {}: send failed: {}", socket.getId(), e.toString());
        }
    }

    void closeClient(CloseReason reason) {
        if (socket.isOpen()) {
            socket.close(reason);
        }
    }
}
