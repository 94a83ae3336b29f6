package io.liteboxd.controller;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/** Something (a cache key) to look at again at an instant: the element of the controller's delay queues. */
public record DueAt(String key, Instant at) implements Delayed {

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(Duration.between(Instant.now(), at));
    }

    @Override
    public int compareTo(Delayed other) {
        return at.compareTo(((DueAt) other).at);
    }
}
