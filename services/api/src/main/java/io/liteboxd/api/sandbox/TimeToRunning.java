package io.liteboxd.api.sandbox;

import io.liteboxd.api.metrics.SandboxMetrics;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;

/**
 * Feeds {@code liteboxd_sandbox_time_to_running_seconds}: once per sandbox, on its first move to
 * running. The status syncs call it only after their conditional row update won (so of several
 * replicas seeing the same pod event, exactly one records it, and a restarted replica that finds
 * the row already running records nothing), and before they write the transition's history row:
 * a history row into running means this sandbox ran before (a readiness flap, a restart or a
 * start of a persistent sandbox), which is not its time to running.
 */
@Singleton
public class TimeToRunning {

    private final StatusHistoryRepository history;
    private final SandboxMetrics metrics;

    TimeToRunning(StatusHistoryRepository history, SandboxMetrics metrics) {
        this.history = history;
        this.metrics = metrics;
    }

    /** {@code row} (as it was before the update) has just been moved from {@code from} to {@code to} at {@code at}. */
    void moved(Sandbox row, String from, String to, Instant at) {
        if (!LifecycleStatus.RUNNING.is(to) || LifecycleStatus.RUNNING.is(from)) {
            return;
        }
        // Only creating precedes the first pod state, so that case needs no look at the history.
        if (LifecycleStatus.CREATING.is(from) || !history.existsBySandboxIdAndToStatus(row.id(), to)) {
            metrics.timeToRunning(Duration.between(row.createdAt(), at));
        }
    }
}
