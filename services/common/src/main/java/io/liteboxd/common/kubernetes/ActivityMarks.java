package io.liteboxd.common.kubernetes;

import static io.liteboxd.common.kubernetes.SandboxContract.LAST_ACTIVITY_ANNOTATION;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.models.V1Deployment;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code liteboxd.io/last-activity} on a persistent sandbox's Deployment, written at most once per
 * {@link #interval} per sandbox and process (docs/contract.md): often enough that the controller
 * never suspends a sandbox in use, rarely enough that a busy sandbox costs one patch a minute,
 * not one per request. The gateway (proxied requests, open tunnels) and the API (exec, terminal,
 * file transfer) share this one throttle; {@link #claim} is pure bookkeeping, so it is unit-tested
 * with explicit instants, and {@link #write} is the patch.
 */
@Singleton
public class ActivityMarks {

    /** The longest gap between two marks of a sandbox in use, whatever its idle timeout. */
    public static final Duration LONGEST_INTERVAL = Duration.ofSeconds(60);
    /** Marks are RFC 3339 seconds; closer ones would say nothing new. */
    static final Duration SHORTEST_INTERVAL = Duration.ofSeconds(1);
    /** Above this many remembered sandboxes, forget those not marked for a while. */
    static final int PRUNE_ABOVE = 10_000;

    private record Mark(Instant at, Duration interval) {}

    private final AnnotationPatcher patcher;
    private final Map<String, Mark> marks = new ConcurrentHashMap<>();

    public ActivityMarks(AnnotationPatcher patcher) {
        this.patcher = patcher;
    }

    /**
     * {@code min(60 s, idle-timeout / 4)}, at least a second; an unknown timeout (the API before
     * its first write told it) gives the shortest interval, so the first mark is never skipped.
     */
    public static Duration interval(Optional<Duration> idleTimeout) {
        Duration interval = idleTimeout.map(t -> t.dividedBy(4)).orElse(SHORTEST_INTERVAL);
        if (interval.compareTo(LONGEST_INTERVAL) > 0) {
            return LONGEST_INTERVAL;
        }
        return interval.compareTo(SHORTEST_INTERVAL) < 0 ? SHORTEST_INTERVAL : interval;
    }

    /**
     * Whether a mark for {@code sandboxId} is due at {@code now}; if so it counts as made (call
     * {@link #release} if the write then fails, so the next activity tries again).
     */
    public boolean claim(String sandboxId, Optional<Duration> idleTimeout, Instant now) {
        Duration interval = idleTimeout.isPresent() ? interval(idleTimeout)
                : Optional.ofNullable(marks.get(sandboxId)).map(Mark::interval).orElse(SHORTEST_INTERVAL);
        boolean[] due = {false};
        marks.compute(sandboxId, (id, last) -> {
            if (last != null && now.isBefore(last.at().plus(interval))) {
                return last.interval().equals(interval) ? last : new Mark(last.at(), interval);
            }
            due[0] = true;
            return new Mark(now, interval);
        });
        if (due[0] && marks.size() > PRUNE_ABOVE) {
            marks.entrySet().removeIf(e -> e.getValue().at().plus(LONGEST_INTERVAL).isBefore(now));
        }
        return due[0];
    }

    /** A claimed mark was not written: the next activity may try at once. */
    public void release(String sandboxId, Instant claimedAt) {
        marks.computeIfPresent(sandboxId, (id, mark) -> mark.at().equals(claimedAt) ? null : mark);
    }

    /**
     * Patches the mark onto the sandbox's Deployment and remembers the interval its idle timeout
     * asks for. Blocking: call it off any event loop.
     */
    public V1Deployment write(String namespace, String sandboxId, Instant at) throws ApiException {
        V1Deployment patched = patcher.deployment(namespace, SandboxContract.deploymentName(sandboxId),
                Map.of(LAST_ACTIVITY_ANNOTATION, at.toString()));
        // No idle timeout: nobody suspends it, so the mark only needs to be roughly current.
        Duration interval = PersistentDeployment.idleTimeout(patched).map(t -> interval(Optional.of(t)))
                .orElse(LONGEST_INTERVAL);
        marks.computeIfPresent(sandboxId, (id, mark) -> new Mark(mark.at(), interval));
        return patched;
    }
}
