package io.liteboxd.gateway.tunnel;

/**
 * One direction of one tunnel: the bytes read from one side and not yet written to the other.
 * Above {@code limit} (or with the {@link SharedBudget} exhausted) it closes the reading side's
 * valve; it opens it again once the writes drained to half the limit and the shared budget has
 * room. So memory is bounded in bytes, whatever the message sizes, not in a count of messages
 * (one message may overshoot: it is counted once it has been read).
 *
 * <p>The valve is worked under this object's lock, together with the flag that says whether it
 * is closed, so a close and a concurrent reopen can never end up in the wrong order. The shared
 * budget is only told outside the lock: releasing room there wakes other tunnels, and two tunnels
 * must never wait for each other's locks.</p>
 */
final class BufferedBytes {

    /** Stops and restarts reading one side of the tunnel. */
    interface Valve {
        void close();

        void open();
    }

    private final long limit;
    private final SharedBudget shared;
    private final Valve valve;
    private final Runnable wake = this::reconsider;
    private long held;
    private boolean closedValve;
    private boolean released;

    BufferedBytes(long limit, SharedBudget shared, Valve valve) {
        this.limit = limit;
        this.shared = shared;
        this.valve = valve;
    }

    /**
     * Bytes were read and are on their way to the other side.
     *
     * @return whether reading is stopped: the caller must not ask for more, the valve's
     *         {@code open} will
     */
    boolean add(long bytes) {
        boolean stopped;
        boolean closedNow = false;
        synchronized (this) {
            if (released) {
                return true;
            }
            held += bytes;
            shared.add(bytes);
            if (!closedValve && (held > limit || shared.exhausted())) {
                closedValve = true;
                closedNow = true;
                valve.close();
            }
            stopped = closedValve;
        }
        if (closedNow && shared.exhausted()) {
            shared.awaitRoom(wake);
        }
        return stopped;
    }

    /** Bytes were written to the other side (or given up on). */
    void remove(long bytes) {
        synchronized (this) {
            if (released) {
                return;
            }
            held -= bytes;
        }
        shared.release(bytes);
        reconsider();
    }

    /** The tunnel ended: whatever is still held no longer counts. */
    void release() {
        long rest;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            rest = held;
            held = 0;
        }
        shared.release(rest);
        shared.cancel(wake);
    }

    synchronized long held() {
        return held;
    }

    synchronized boolean reading() {
        return !closedValve;
    }

    private void reconsider() {
        boolean waitForShared;
        synchronized (this) {
            if (!closedValve || released || held > limit / 2) {
                return;
            }
            if (!shared.exhausted()) {
                closedValve = false;
                valve.open();
                return;
            }
            waitForShared = true;
        }
        if (waitForShared) {
            shared.awaitRoom(wake);
        }
    }
}
