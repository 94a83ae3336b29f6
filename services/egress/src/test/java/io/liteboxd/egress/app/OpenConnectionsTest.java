package io.liteboxd.egress.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.lifecycle.Drain;
import io.liteboxd.common.lifecycle.DrainSettings;
import io.liteboxd.common.lifecycle.Readiness;
import io.liteboxd.egress.EgressDecision;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OpenConnectionsTest {

    private static EgressDecision decision(int clientPort, boolean allowed, String reason) {
        return new EgressDecision(new InetSocketAddress("10.244.0.7", clientPort), "1a2b3c4d", "pypi.org", 443,
                allowed, reason);
    }

    @Test
    void aDrainWaitsForOpenConnectionsAndNotForClosedOnes() {
        Drain drain = new Drain(new Readiness(), new DrainSettings(Duration.ofMinutes(1), false));
        OpenConnections open = new OpenConnections(drain);
        EgressDecision first = decision(40000, true, EgressDecision.ALLOWED);
        EgressDecision second = decision(40001, true, EgressDecision.ALLOWED);
        open.opened(first);
        open.opened(second);
        assertEquals(2, open.count());
        open.closed(second);
        open.closed(second); // closing twice releases once

        CompletableFuture<Void> drained = drain.begin();
        assertFalse(drained.isDone(), "one connection is still open");
        open.opened(decision(40002, true, EgressDecision.ALLOWED)); // allowed after the drain began: not tracked
        assertEquals(1, open.count());
        open.closed(first);
        assertTrue(drained.isDone());
        assertEquals(0, open.count());
    }

    @Test
    void metricLabelsCarryTheReasonWithoutItsDetails() {
        assertEquals("blocked address",
                Decision.reasonKind(decision(1, false, "blocked address: 10.96.0.1 (blocked range 10.96.0.0/12)")));
        assertEquals("host not in allowlist", Decision.reasonKind(decision(1, false, EgressDecision.HOST_NOT_ALLOWED)));
        assertEquals(Decision.ALLOWED, Decision.of(decision(1, true, EgressDecision.ALLOWED)));
        assertEquals("denied", Decision.of(decision(1, false, "x")).wire());
    }
}
