package io.liteboxd.egress;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last {@code capacity} decisions and the last {@code capacity} traffic records, in memory:
 * enough to look at what a sandbox just tried, never growing with the traffic. Oldest first.
 */
public final class RecentEgress implements EgressAudit {

    private final int capacity;
    private final ArrayDeque<EgressDecision> decisions;
    private final ArrayDeque<EgressTraffic> traffic;

    public RecentEgress(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.decisions = new ArrayDeque<>(capacity);
        this.traffic = new ArrayDeque<>(capacity);
    }

    @Override
    public synchronized void decided(EgressDecision decision) {
        keep(decisions, decision);
    }

    @Override
    public synchronized void finished(EgressTraffic record) {
        keep(traffic, record);
    }

    public synchronized List<EgressDecision> decisions() {
        return List.copyOf(decisions);
    }

    public synchronized List<EgressTraffic> traffic() {
        return List.copyOf(traffic);
    }

    private <T> void keep(ArrayDeque<T> ring, T record) {
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(record);
    }
}
