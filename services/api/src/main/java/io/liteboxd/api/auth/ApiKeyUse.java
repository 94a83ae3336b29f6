package io.liteboxd.api.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Which API-key uses are worth writing to {@code last_used_at}: the first one, then at most one per
 * key every {@link #INTERVAL} per replica. Writing every use made every request an UPDATE of the
 * same row, which Postgres serializes: under load (a rollout on a busy node) those updates queued
 * on the row lock holding pool connections, and the reads behind them waited out the pool's
 * timeout. {@code last_used_at} is therefore accurate to about a minute. Pure: the caller writes.
 * One entry per key used since the process started (keys are few).
 */
final class ApiKeyUse {

    static final Duration INTERVAL = Duration.ofSeconds(60);

    private final ConcurrentMap<String, Instant> written = new ConcurrentHashMap<>();

    /** True when this use should be written (and counts it as written). */
    boolean shouldRecord(String keyId, Instant now) {
        boolean[] record = {false};
        written.compute(keyId, (id, last) -> {
            if (last == null || !now.isBefore(last.plus(INTERVAL))) {
                record[0] = true;
                return now;
            }
            return last;
        });
        return record[0];
    }
}
