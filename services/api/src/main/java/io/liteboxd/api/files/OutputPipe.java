package io.liteboxd.api.files;

import io.liteboxd.api.exec.ExecExit;
import io.liteboxd.api.exec.ExecSession;
import io.liteboxd.api.exec.PidLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command's stdout as a sequence of chunks, through a small bounded queue: when the HTTP
 * client reads slowly the queue fills, the exec reader thread blocks, and TCP slows the pod down.
 * The sequence ends when the command exits 0 and fails (so the response is cut, never silently
 * short) when it does not. Every wait has a deadline: the reader waits at most the given time for
 * the next chunk ({@link TimeoutException}); the exec side waits at most {@code idleTimeout} for
 * room, then gives the reader up ({@code onStall} runs, the pipe fails) instead of holding the exec
 * reader thread behind a client that reads nothing.
 */
final class OutputPipe implements ExecSession.Output {

    private static final int CHUNKS = 64;
    private static final long POLL_MILLIS = 100;

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(CHUNKS);
    private final StringBuilder stderr = new StringBuilder();
    private final PidLine pidLine = new PidLine();
    private final Duration idleTimeout;
    private final Runnable onStall;
    private byte[] current = new byte[0];
    private int position;
    private volatile ExecExit exit;
    private volatile boolean closed;
    private volatile boolean stalled;

    OutputPipe(Duration idleTimeout, Runnable onStall) {
        this.idleTimeout = idleTimeout;
        this.onStall = onStall;
    }

    /** On the exec reader thread: waits for room, unless the reader has gone away or stalled. */
    @Override
    public void stdout(byte[] data) {
        long deadline = System.nanoTime() + idleTimeout.toNanos();
        try {
            while (!closed && !chunks.offer(data, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - deadline > 0) {
                    stalled = true;
                    close();
                    onStall.run();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stderr(byte[] data) {
        synchronized (stderr) {
            byte[] rest = pidLine.strip(data);
            if (stderr.length() < 4096) {
                stderr.append(new String(rest, StandardCharsets.UTF_8));
            }
        }
    }

    /** The pid the download command reported (see {@link PidLine}). */
    String pid() {
        return pidLine.pid();
    }

    /**
     * Called once the command has ended. All its stdout was queued before: Kubernetes sends the
     * status after the output, on the same connection and thread.
     */
    void finish(ExecExit exit) {
        this.exit = exit;
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString().strip();
        }
    }

    /**
     * Blocks until there is output to read (true) or the command has ended with none left (false);
     * {@link TimeoutException} when neither happens within {@code timeout}.
     */
    boolean awaitData(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (position >= current.length) {
            byte[] next = chunks.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (next != null) {
                current = next;
                position = 0;
            } else if ((exit != null || stalled) && chunks.isEmpty()) {
                return false;
            } else if (System.nanoTime() - deadline > 0) {
                throw new TimeoutException();
            }
        }
        return true;
    }

    /** The reader is done (or gone): stop holding the exec reader thread. */
    void close() {
        closed = true;
        chunks.clear();
    }

    /**
     * The next chunk of output, waiting at most {@code idleTimeout}; null at the end of a command
     * that exited 0. Fails when it did not, stalled, or the reader was given up, so a download is
     * cut rather than silently short.
     */
    byte[] nextChunk() throws IOException, InterruptedException {
        boolean data;
        try {
            data = awaitData(idleTimeout);
        } catch (TimeoutException e) {
            throw new IOException("download stalled: no data from the sandbox for " + idleTimeout.toSeconds() + "s");
        }
        if (!data) {
            ExecExit end = exit;
            if (stalled || end == null || end.failed() || end.code() != 0) {
                throw new IOException("download failed: " + (stalled ? "the client took no data for "
                        + idleTimeout.toSeconds() + "s" : end == null ? "stream ended" : end) + " " + stderr());
            }
            return null;
        }
        byte[] chunk = position == 0 ? current : java.util.Arrays.copyOfRange(current, position, current.length);
        position = current.length;
        return chunk;
    }
}
