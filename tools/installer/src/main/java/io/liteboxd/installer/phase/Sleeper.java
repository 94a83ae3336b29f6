package io.liteboxd.installer.phase;

import java.time.Duration;

/** Waiting between polls, replaceable so tests never sleep. */
@FunctionalInterface
public interface Sleeper {
  Sleeper REAL = d -> Thread.sleep(d.toMillis());

  void sleep(Duration duration) throws InterruptedException;
}
