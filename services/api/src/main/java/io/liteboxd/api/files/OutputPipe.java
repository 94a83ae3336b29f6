package io.liteboxd.api.files;

import io.liteboxd.api.exec.ExecExit;
import io.liteboxd.api.exec.ExecSession;
import io.liteboxd.api.exec.PidLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A command's stdout as a sequence of chunks, through a small bounded queue: when the HTTP
 * client reads slowly the queue fills, the exec reader thread blocks, and TCP slows the pod down.
 * The sequence ends when the command exits 0 and fails (so the response is cut, never silently
 * short) when it does not.
 */
final class OutputPipe implements ExecSession.Output {

    private static final int CHUNKS = 64;
    private static final long POLL_MILLIS = 100;

    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(CHUNKS);
    private final StringBuilder stderr = new StringBuilder();
    private final PidLine pidLine = new PidLine();
    private byte[] current = new byte[0];
    private int position;
    private volatile ExecExit exit;
    private volatile boolean closed;

    /** On the exec reader thread: waits for room, unless the reader has gone away. */
    @Override
    public void stdout(byte[] data) {
        try {
            while (!closed && !chunks.offer(data, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                // the HTTP client is slower than the pod; keep waiting
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

    /** Blocks until there is output to read (true) or the command has ended with none left (false). */
    boolean awaitFirstByte() throws InterruptedException {
        while (position >= current.length) {
            byte[] next = chunks.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            if (next != null) {
                current = next;
                position = 0;
            } else if (exit != null && chunks.isEmpty()) {
                return false;
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
     * The next chunk of output, blocking until there is one; null at the end of a command that
     * exited 0. Fails when it did not, so a download is cut rather than silently short.
     */
    byte[] nextChunk() throws IOException, InterruptedException {
        if (!awaitFirstByte()) {
            ExecExit end = exit;
            if (end == null || end.failed() || end.code() != 0) {
                throw new IOException("download failed: " + (end == null ? "stream ended" : end) + " " + stderr());
            }
            return null;
        }
        byte[] chunk = position == 0 ? current : java.util.Arrays.copyOfRange(current, position, current.length);
        position = current.length;
        return chunk;
    }
}
