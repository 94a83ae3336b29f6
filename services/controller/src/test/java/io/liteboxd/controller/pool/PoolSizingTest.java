package io.liteboxd.controller.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PoolSizingTest {

    @Test
    void keepsMinWithoutDemand() {
        assertEquals(2, PoolSizing.desired(2, 10, 0, 5, 0.95));
        assertEquals(0, PoolSizing.desired(0, 10, 0, 5, 0.95));
    }

    @Test
    void growsWithDemandToThePoissonQuantile() {
        // One create a second, 5 s to refill: mean 5; P(N <= 8) = 0.932, P(N <= 9) = 0.968.
        assertEquals(9, PoolSizing.desired(1, 50, 1.0, 5, 0.95));
        // The same demand at a higher target needs more.
        assertEquals(11, PoolSizing.desired(1, 50, 1.0, 5, 0.99));
        // Rare creates: one every 100 s, mean 0.05; P(N <= 1) = 0.9988.
        assertEquals(1, PoolSizing.desired(0, 50, 0.01, 5, 0.99));
    }

    @Test
    void staysWithinItsBounds() {
        assertEquals(4, PoolSizing.desired(1, 4, 1.0, 5, 0.95), "max caps it");
        assertEquals(6, PoolSizing.desired(6, 10, 0.01, 5, 0.95), "min floors it");
        assertEquals(3, PoolSizing.desired(5, 3, 1.0, 5, 0.95), "max below min: max");
        assertEquals(20, PoolSizing.desired(0, 20, 1e6, 5, 0.95), "a huge mean underflows to max");
    }
}
