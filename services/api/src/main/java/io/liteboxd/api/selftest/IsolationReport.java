package io.liteboxd.api.selftest;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * The answer of {@code POST /templates/{name}/verify}: {@code passed} is true when no check
 * failed (skipped ones say why they could not be observed). {@code runtimeClassName} is empty for
 * the cluster's default runtime; {@code sandboxId} is empty when the cluster refused the pod.
 */
@Serdeable
public record IsolationReport(String template, int templateVersion, String sandboxId, String image,
                              String runtimeClassName, boolean passed, Instant startedAt, long durationMs,
                              List<Check> checks) {

    static boolean passed(List<Check> checks) {
        return checks.stream().noneMatch(c -> c.status() == CheckStatus.FAIL);
    }
}
