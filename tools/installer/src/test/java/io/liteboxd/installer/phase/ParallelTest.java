package io.liteboxd.installer.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParallelTest {
  @Test
  void afterAFailureNoNewItemStarts() {
    List<Integer> started = Collections.synchronizedList(new ArrayList<>());
    PhaseFailedException e = assertThrows(PhaseFailedException.class, () -> Parallel.forEach(
        List.of(1, 2, 3, 4), 1, i -> {
          started.add(i);
          if (i == 2) throw new PhaseFailedException("p", "n" + i, "boom");
        }));
    assertEquals("n2", e.node());
    assertEquals(List.of(1, 2), started);
  }

  @Test
  void theEarliestFailureInListOrderIsReported() {
    // All three start before any fails, so both failures happen; item 2's is the one reported.
    CountDownLatch allStarted = new CountDownLatch(3);
    PhaseFailedException e = assertThrows(PhaseFailedException.class, () -> Parallel.forEach(
        List.of(1, 2, 3), 3, i -> {
          allStarted.countDown();
          try {
            allStarted.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
          }
          if (i >= 2) throw new PhaseFailedException("p", "n" + i, "boom");
        }));
    assertEquals("n2", e.node());
  }
}
