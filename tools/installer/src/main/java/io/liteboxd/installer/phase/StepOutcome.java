package io.liteboxd.installer.phase;

import io.liteboxd.installer.state.StepStatus;

/** How a step that did not fail ended: DONE or SKIPPED, with a line saying what happened. */
public record StepOutcome(StepStatus status, String message) {
  public static StepOutcome done(String message) {
    return new StepOutcome(StepStatus.DONE, message);
  }

  public static StepOutcome skipped(String message) {
    return new StepOutcome(StepStatus.SKIPPED, message);
  }
}
