package io.liteboxd.installer.state;

import java.time.Instant;

/**
 * The last outcome of a step. {@code fingerprint} hashes the configuration the step depends on,
 * so resume re-runs a DONE step whose inputs changed.
 */
public record StepRecord(StepStatus status, String message, String updatedAt, String fingerprint) {
  public static StepRecord of(StepStatus status, String message, String fingerprint) {
    return new StepRecord(status, message == null ? "" : message, Instant.now().toString(), fingerprint);
  }
}
