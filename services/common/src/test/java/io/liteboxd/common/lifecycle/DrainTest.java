package io.liteboxd.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The drain's bookkeeping, without a server. Waits have generous upper bounds only. */
class DrainTest {

    private final Readiness readiness = new Readiness();

    private Drain drain(Duration timeout) {
        return new Drain(readiness, new DrainSettings(timeout, false));
    }

    @Test
    void completesAtOnceWhenNothingIsInFlight() throws Exception {
        Drain drain = drain(Duration.ofMinutes(1));
        CompletableFuture<Void> drained = drain.begin();
        drained.get(10, TimeUnit.SECONDS);
        assertTrue(drain.isDraining());
        assertEquals(Readiness.Phase.DRAINING, readiness.phase());
        assertSame(drained, drain.begin(), "begin() again returns the same drain");
    }

    @Test
    void anOpenSessionKeepsTheDrainPendingUntilItCloses() throws Exception {
        Drain drain = drain(Duration.ofMinutes(1));
        Drain.Session terminal = drain.open("terminal");
        assertEquals(1, drain.activeSessions());

        CompletableFuture<Void> drained = drain.begin();
        assertFalse(drained.isDone(), "the terminal is still open");

        terminal.close();
        drained.get(10, TimeUnit.SECONDS);
        terminal.close();
        assertEquals(0, drain.activeSessions(), "closing twice counts once");
    }

    @Test
    void aSessionWithAHandOffIsHandedOverWhenTheDrainBegins() throws Exception {
        Drain drain = drain(Duration.ofMinutes(1));
        java.util.concurrent.atomic.AtomicReference<Drain.Session> handed = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger handOffs = new java.util.concurrent.atomic.AtomicInteger();
        Drain.Session session = drain.open("session terminal", () -> {
            handOffs.incrementAndGet();
            handed.get().close(); // what a terminal does: tell the client to reconnect, release
        });
        handed.set(session);
        Drain.Session plain = drain.open("terminal");
        CompletableFuture<Void> drained = drain.begin();
        assertEquals(1, handOffs.get(), "handed off at the drain's start");
        assertEquals(1, drain.activeSessions(), "the plain terminal is still waited for");
        assertFalse(drained.isDone());
        plain.close();
        drained.get(10, TimeUnit.SECONDS);
        drain.begin();
        assertEquals(1, handOffs.get(), "never handed off twice");
    }

    @Test
    void aFailingHandOffLeavesItsSessionToTheDrain() {
        Drain drain = drain(Duration.ofMinutes(1));
        drain.open("session terminal", () -> {
            throw new IllegalStateException("socket gone");
        });
        CompletableFuture<Void> drained = drain.begin();
        assertFalse(drained.isDone(), "still open: the drain waits for it as for any session");
        assertEquals(1, drain.activeSessions());
    }

    @Test
    void anAdmittedRequestKeepsTheDrainPendingUntilItEnds() throws Exception {
        Drain drain = drain(Duration.ofMinutes(1));
        Drain.Session request = drain.admitRequest();
        CompletableFuture<Void> drained = drain.begin();
        assertFalse(drained.isDone());
        request.close();
        drained.get(10, TimeUnit.SECONDS);
        assertEquals(0, drain.activeRequests());
    }

    @Test
    void refusesNewWorkWhileDraining() {
        Drain drain = drain(Duration.ofMinutes(1));
        drain.begin();
        assertThrows(Drain.DrainingException.class, () -> drain.open("tunnel"));
        assertEquals(null, drain.admitRequest());
        assertEquals(0, drain.activeSessions(), "a refused session is not counted");
        assertEquals(0, drain.activeRequests(), "a refused request is not counted");
    }

    @Test
    void theTimeoutEndsTheDrainWithSessionsStillOpen() throws Exception {
        Drain drain = drain(Duration.ofMillis(200));
        Drain.Session terminal = drain.open("terminal");
        drain.begin().get(30, TimeUnit.SECONDS);
        assertEquals(1, drain.activeSessions(), "the session was not closed by the timeout");
        terminal.close();
    }

    @Test
    void settingsRejectATimeoutThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new DrainSettings(Duration.ZERO, true));
        assertThrows(IllegalArgumentException.class, () -> new DrainSettings(Duration.ofSeconds(-1), true));
        assertThrows(IllegalArgumentException.class, () -> new DrainSettings(Duration.ofHours(1), true));
        assertThrows(IllegalArgumentException.class, () -> new DrainSettings(null, true));
    }
}
