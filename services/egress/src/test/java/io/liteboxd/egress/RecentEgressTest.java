package io.liteboxd.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecentEgressTest {

    @Test
    void keepsTheLastRecordsOldestFirst() {
        RecentEgress recent = new RecentEgress(3);
        List<EgressDecision> all = IntStream.range(0, 5).mapToObj(RecentEgressTest::decision).toList();
        all.forEach(recent::decided);
        assertEquals(all.subList(2, 5), recent.decisions());

        all.forEach(d -> recent.finished(new EgressTraffic(d, d.port(), 1)));
        assertEquals(List.of(2L, 3L, 4L), recent.traffic().stream().map(EgressTraffic::bytesUp).toList());
    }

    @Test
    void aSnapshotDoesNotChangeAfterwards() {
        RecentEgress recent = new RecentEgress(2);
        recent.decided(decision(1));
        List<EgressDecision> before = recent.decisions();
        recent.decided(decision(2));
        recent.decided(decision(3));
        assertEquals(List.of(decision(1)), before);
        assertEquals(List.of(decision(2), decision(3)), recent.decisions());
    }

    @Test
    void keepsTheInstantEachRecordArrived() {
        Instant start = Instant.parse("2026-12-01T10:00:00Z");
        AtomicReference<Instant> now = new AtomicReference<>(start);
        Clock clock = new Clock() {
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
            @Override public Instant instant() { return now.get(); }
        };
        RecentEgress recent = new RecentEgress(2, clock);
        recent.decided(decision(1));
        now.set(start.plusSeconds(5));
        recent.decided(decision(2));
        recent.finished(new EgressTraffic(decision(2), 10, 20));
        assertEquals(List.of(new RecentEgress.Timed<>(start, decision(1)),
                new RecentEgress.Timed<>(start.plusSeconds(5), decision(2))), recent.timedDecisions());
        assertEquals(start.plusSeconds(5), recent.timedTraffic().getFirst().at());
    }

    @Test
    void needsRoomForOneRecord() {
        assertThrows(IllegalArgumentException.class, () -> new RecentEgress(0));
    }

    private static EgressDecision decision(int port) {
        return new EgressDecision(new InetSocketAddress("10.0.0.1", 40000), "sbx", "a.test", port, true,
                EgressDecision.ALLOWED);
    }
}
