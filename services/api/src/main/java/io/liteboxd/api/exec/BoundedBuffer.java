package io.liteboxd.api.exec;

import java.io.ByteArrayOutputStream;

/** Collects output up to a limit and remembers whether anything was dropped beyond it. */
public final class BoundedBuffer {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int limit;
    private boolean truncated;

    public BoundedBuffer(int limit) {
        this.limit = limit;
    }

    public synchronized void append(byte[] data, int offset, int length) {
        int room = limit - bytes.size();
        if (length > room) {
            truncated = true;
            length = Math.max(room, 0);
        }
        bytes.write(data, offset, length);
    }

    public synchronized byte[] toByteArray() {
        return bytes.toByteArray();
    }

    public synchronized boolean truncated() {
        return truncated;
    }
}
