package io.liteboxd.gateway.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BufferedBytesTest {

    /** Records what the budget did to a side's reading. */
    static final class Recorder implements BufferedBytes.Valve {
        final List<String> events = new ArrayList<>();

        @Override
        public void close() {
            events.add("close");
        }

        @Override
        public void open() {
            events.add("open");
        }
    }

    @Test
    void readingStopsAboveTheLimitAndResumesAtHalf() {
        SharedBudget shared = new SharedBudget(1 << 20);
        Recorder valve = new Recorder();
        BufferedBytes buffer = new BufferedBytes(100, shared, valve);
        assertFalse(buffer.add(60));
        assertFalse(buffer.add(40), "at the limit, not above it");
        assertTrue(buffer.add(1));
        assertEquals(List.of("close"), valve.events);
        assertTrue(buffer.add(500), "a read already under way still counts");
        assertEquals(601, buffer.held());
        assertEquals(601, shared.used());
        buffer.remove(500);
        assertEquals(List.of("close"), valve.events, "101 held: still above half the limit");
        buffer.remove(51);
        assertEquals(List.of("close", "open"), valve.events);
        assertFalse(buffer.add(10));
        assertEquals(60, shared.used());
    }

    @Test
    void aTunnelStoppedByOthersWaitsUntilTheSharedBudgetHasRoom() {
        SharedBudget shared = new SharedBudget(100);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        BufferedBytes big = new BufferedBytes(1000, shared, a);
        BufferedBytes small = new BufferedBytes(100, shared, b);
        assertTrue(big.add(150), "over the shared budget though under its own");
        assertTrue(small.add(10), "every tunnel that reads more stops");
        small.remove(10);
        assertEquals(List.of("close"), b.events, "its own buffer drained, but the others still hold too much");
        assertEquals(150, shared.used());
        big.remove(150);
        assertEquals(List.of("close", "open"), a.events);
        assertEquals(List.of("close", "open"), b.events, "woken when the shared budget has room again");
        assertEquals(0, shared.used());
    }

    @Test
    void anEndedTunnelGivesItsBytesBackOnce() {
        SharedBudget shared = new SharedBudget(1000);
        BufferedBytes buffer = new BufferedBytes(100, shared, new Recorder());
        buffer.add(70);
        buffer.release();
        assertEquals(0, shared.used());
        buffer.remove(70);
        buffer.release();
        assertEquals(0, shared.used(), "late write completions do not count twice");
        assertTrue(buffer.add(5), "nothing more is read for an ended tunnel");
        assertEquals(0, shared.used());
    }
}
