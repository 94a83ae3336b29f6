package io.liteboxd.egress;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last {@code capacity} decisions and the last {@code capacity} traffic records, in memory:
 * enough to look at what a sandbox just tried, never growing with the traffic. Oldest first.
 * Each is kept with the instant it reached the audit, so the lists of several proxy replicas
 * can be merged in order.
 */
public final class RecentEgress implements EgressAudit {

    /** A record with the instant the audit heard of it. */
    public record Timed<T>(Instant at, T value) {}

    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<Timed<EgressDecision>> decisions;
    private final ArrayDeque<Timed<EgressTraffic>> traffic;

    public RecentEgress(int capacity) {
        this(capacity, Clock.systemUTC());
    }

    public RecentEgress(int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.clock = clock;
        this.decisions = new ArrayDeque<>(capacity);
        this.traffic = new ArrayDeque<>(capacity);
    }

    @Override
    public synchronized void decided(EgressDecision decision) {
        keep(decisions, new Timed<>(clock.instant(), decision));
    }

    @Override
    public synchronized void finished(EgressTraffic record) {
        keep(traffic, new Timed<>(clock.instant(), record));
    }

    public synchronized List<EgressDecision> decisions() {
        return decisions.stream().map(Timed::value).toList();
    }

    public synchronized List<EgressTraffic> traffic() {
        return traffic.stream().map(Timed::value).toList();
    }

    public synchronized List<Timed<EgressDecision>> timedDecisions() {
        return List.copyOf(decisions);
    }

    public synchronized List<Timed<EgressTraffic>> timedTraffic() {
        return List.copyOf(traffic);
    }

    private <T> void keep(ArrayDeque<T> ring, T record) {
        if (ring.size() == capacity) {
            ring.removeFirst();
        }
        ring.addLast(record);
    }
}
