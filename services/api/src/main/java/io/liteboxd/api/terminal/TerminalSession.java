package io.liteboxd.api.terminal;

import io.liteboxd.api.exec.ExecExit;
import io.liteboxd.api.exec.ExecSession;
import io.liteboxd.api.session.SessionFrame;
import io.liteboxd.api.session.SessionFrameDecoder;
import io.liteboxd.api.session.SessionHello;
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
 *
 * <p>A session terminal ({@link #forSession}) runs the session helper's {@code attach} instead of
 * the command: its stdout is the helper's frame stream (decoded here, untrusted), input and
 * resizes go to it as frames, and the client's leaving only detaches, so the command keeps running
 * in the sandbox for a later reattach.
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
    private final AtomicBoolean closedByServer = new AtomicBoolean();
    private final Duration stallTimeout;
    /** Set for a session terminal: the helper's frames on stdout. */
    private final SessionFrameDecoder frames;
    private volatile ExecSession exec;
    private volatile boolean stalled;
    /** Session terminals: the exit the helper reported, or that another client took the session. */
    private volatile Integer sessionExit;
    private volatile boolean takenOver;
    private volatile String helperError;
    private long nextCursor;
    private volatile boolean pendingAbort;

    TerminalSession(WebSocketSession socket, JsonMapper json, Duration stallTimeout) {
        this(socket, json, stallTimeout, null);
    }

    private TerminalSession(WebSocketSession socket, JsonMapper json, Duration stallTimeout,
                            SessionFrameDecoder frames) {
        this.socket = socket;
        this.json = json;
        this.stallTimeout = stallTimeout;
        this.frames = frames;
    }

    /** A terminal on the session helper's attach stream instead of a bare command. */
    static TerminalSession forSession(WebSocketSession socket, JsonMapper json, Duration stallTimeout) {
        return new TerminalSession(socket, json, stallTimeout, new SessionFrameDecoder());
    }

    /** Starts relaying once the exec exists; {@code onEnd} runs once when the session is over. */
    void attach(ExecSession exec, Runnable onEnd) {
        this.exec = exec;
        if (pendingAbort) {
            exec.close();
        }
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
        if (frames == null) {
            send(TerminalFrame.output(stdoutText.decode(data)));
            return;
        }
        for (SessionFrame frame : frames.feed(data)) {
            helperFrame(frame);
        }
        if (frames.failed() != null && helperError == null) {
            helperError = "session helper: " + frames.failed();
            abort();
        }
    }

    /** Drops the attach stream (an untrusted helper broke the protocol); the exit ends the terminal. */
    private void abort() {
        ExecSession current = exec;
        if (current != null) {
            current.close();
        } else {
            pendingAbort = true; // attach() closes it as soon as it has it
        }
    }

    /** One frame from the helper's attach stream. */
    private void helperFrame(SessionFrame frame) {
        switch (frame.type()) {
            case HELLO -> {
                SessionHello hello = SessionHello.parse(json, frame.text());
                if (hello == null) {
                    helperError = "session helper: unreadable hello";
                    abort();
                    return;
                }
                nextCursor = hello.cursor();
                send(TerminalFrame.session(hello.id(), hello.pid(), hello.cursor(), hello.dropped()));
            }
            case OUTPUT -> {
                byte[] bytes = frame.outputBytes();
                String text = stdoutText.decode(bytes);
                nextCursor = frame.outputOffset() + bytes.length - stdoutText.pending();
                send(TerminalFrame.output(text, nextCursor));
            }
            case EXIT -> sessionExit = SessionHello.exitCode(json, frame.text());
            case TAKEN_OVER -> takenOver = true;
            case ERROR -> helperError = "session helper: " + SessionHello.message(json, frame.text());
            default -> { } // client-side types never come from the helper; ignore them
        }
    }

    @Override
    public void stderr(byte[] data) {
        if (frames != null) {
            // The helper's own complaint ({"error": ...}, e.g. no such session): the terminal's
            // error, never screen output.
            if (helperError == null) {
                helperError = "session helper: " + SessionHello.helperError(json, data);
            }
            return;
        }
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
                    if (frames == null) {
                        exec.writeStdin(bytes, 0, bytes.length);
                    } else {
                        for (int at = 0; at < bytes.length; at += SessionFrame.MAX_PAYLOAD) {
                            byte[] framed = SessionFrame.input(bytes, at, Math.min(SessionFrame.MAX_PAYLOAD, bytes.length - at));
                            exec.writeStdin(framed, 0, framed.length);
                        }
                    }
                } else if ("resize".equals(frame.type()) && frame.cols() != null && frame.rows() != null
                        && frame.cols() > 0 && frame.rows() > 0) {
                    if (frames == null) {
                        exec.resize(frame.cols(), frame.rows());
                    } else {
                        byte[] framed = SessionFrame.resize(frame.cols(), frame.rows());
                        exec.writeStdin(framed, 0, framed.length);
                    }
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
        if (frames != null) {
            endSession(exit);
            return;
        }
        String rest = stdoutText.finish() + stderrText.finish();
        if (!rest.isEmpty()) {
            send(TerminalFrame.output(rest));
        }
        send(TerminalFrame.exit(exit.failed() ? 1 : exit.code()));
        closeClient(CloseReason.NORMAL);
    }

    /**
     * The attach ended: the command exited (exit frame), another client took the session (closed
     * with {@link #TAKEN_OVER}, no exit: the command still runs), or the helper failed (error).
     * Anything else (the exec broke, the client left) leaves the session running.
     */
    private void endSession(ExecExit exit) {
        if (sessionExit != null) {
            String rest = stdoutText.finish();
            if (!rest.isEmpty()) {
                send(TerminalFrame.output(rest, nextCursor));
            }
            send(TerminalFrame.exit(sessionExit));
            closeClient(CloseReason.NORMAL);
        } else if (takenOver) {
            closeClient(TAKEN_OVER);
        } else if (helperError != null) {
            send(TerminalFrame.error(helperError));
            closeClient(CloseReason.NORMAL);
        } else {
            // The attach stream broke (the sandbox's pod went away, or the client did): the client
            // may reattach; it is told why, without an exit frame that would claim the command ended.
            send(TerminalFrame.error("session stream ended: " + (exit.failed() ? exit.failure() : "detached")));
            closeClient(CloseReason.GOING_AWAY);
        }
    }

    /** Another attachment took the session over (a private-use close code, RFC 6455 §7.4.2). */
    static final CloseReason TAKEN_OVER = new CloseReason(4001, "session attached elsewhere");

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

    /**
     * Starts the close handshake from our side, once. The client's answering close then reaches
     * {@code @OnClose}, which must not echo it ({@link #closedByServer}): a second close frame is a
     * protocol error to the client (Chrome: "Close received after close").
     */
    void closeClient(CloseReason reason) {
        if (closedByServer.compareAndSet(false, true) && socket.isOpen()) {
            socket.close(reason);
        }
    }

    /** Whether we sent the close frame (then the client's close is the answer, not to be echoed). */
    boolean closedByServer() {
        return closedByServer.get();
    }
}
