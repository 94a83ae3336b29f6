package io.liteboxd.egress;

import io.netty.channel.Channel;

/**
 * The audit's view of one client connection: its decision, its upstream connection and the bytes
 * that crossed. Makes sure the audit hears each request's final decision once, and the traffic
 * of an allowed one once both connections have closed. Used only on the client channel's event
 * loop (the upstream channel is registered on the same one), so it needs no locking.
 */
final class EgressExchange {

    private final Channel client;
    private final EgressAudit audit;
    private EgressDecision pending;
    private EgressDecision decision;
    private Channel upstream;
    private long bytesUp;
    private long bytesDown;
    private boolean finished;

    EgressExchange(Channel client, EgressAudit audit) {
        this.client = client;
        this.audit = audit;
        client.closeFuture().addListener(closed -> clientClosed());
    }

    /**
     * The gate allowed the request, but the decision is not final until the way is open (the
     * upstream connected; for a tunnel, its first bytes checked). If the connection ends before,
     * the audit hears {@link EgressDecision#CLOSED_UNDECIDED}.
     */
    void pending(EgressDecision allowed) {
        pending = allowed;
    }

    /** The decision waiting for {@link #settle}; null when there is none (settled, or never allowed). */
    EgressDecision pending() {
        return pending;
    }

    /** The final decision: audited now. Only the first call counts. */
    void settle(EgressDecision finalDecision) {
        if (decision != null) {
            return;
        }
        decision = finalDecision;
        pending = null;
        audit.decided(finalDecision);
    }

    /** The upstream connection (connecting or connected): closed with the client, and waited for. */
    void attachUpstream(Channel channel) {
        upstream = channel;
        channel.closeFuture().addListener(closed -> maybeFinish());
        if (!client.isOpen()) {
            channel.close();
        }
    }

    void countUp(long bytes) {
        bytesUp += bytes;
    }

    void countDown(long bytes) {
        bytesDown += bytes;
    }

    private void clientClosed() {
        if (pending != null) {
            settle(pending.denied(EgressDecision.CLOSED_UNDECIDED));
        }
        if (upstream != null) {
            upstream.close();
        }
        maybeFinish();
    }

    private void maybeFinish() {
        if (finished || client.isOpen() || (upstream != null && upstream.isOpen())) {
            return;
        }
        finished = true;
        if (decision != null && decision.allowed()) {
            audit.finished(new EgressTraffic(decision, bytesUp, bytesDown));
        }
    }
}
