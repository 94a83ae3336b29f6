package io.liteboxd.installer.phase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a task per item, at most {@code parallelism} at a time. After a failure no new item starts
 * (the running ones finish); the failure of the earliest item in list order is thrown.
 */
public final class Parallel {
  @FunctionalInterface
  public interface Task<T> {
    void run(T item) throws PhaseFailedException;
  }

  private Parallel() {}

  public static <T> void forEach(List<T> items, int parallelism, Task<T> task) throws PhaseFailedException {
    if (items.isEmpty()) return;
    AtomicBoolean failed = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, items.size())));
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> {
          if (failed.get()) return null;
          try {
            task.run(item);
          } catch (PhaseFailedException | RuntimeException e) {
            failed.set(true);
            throw e;
          }
          return null;
        }));
      }
      PhaseFailedException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof PhaseFailedException p) {
            if (first == null) first = p;
          } else if (e.getCause() instanceof RuntimeException r) {
            throw r;
          } else {
            throw new IllegalStateException(e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      if (first != null) throw first;
    } finally {
      pool.shutdownNow();
    }
  }
}
