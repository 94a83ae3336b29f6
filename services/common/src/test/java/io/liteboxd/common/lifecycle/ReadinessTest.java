package io.liteboxd.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    private final Readiness readiness = new Readiness();

    @Test
    void drainListenersRunOnceWhenTheDrainBegins() {
        AtomicInteger told = new AtomicInteger();
        readiness.onDrain(told::incrementAndGet);
        assertEquals(0, told.get());
        readiness.beginDrain();
        readiness.beginDrain();
        assertEquals(1, told.get(), "a second beginDrain is not a second drain");
        assertEquals(Readiness.Phase.DRAINING, readiness.phase());
    }

    @Test
    void aListenerAddedDuringTheDrainRunsAtOnce() {
        readiness.beginDrain();
        AtomicInteger told = new AtomicInteger();
        readiness.onDrain(told::incrementAndGet);
        assertEquals(1, told.get());
    }
}
