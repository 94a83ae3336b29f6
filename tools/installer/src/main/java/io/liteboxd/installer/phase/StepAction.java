package io.liteboxd.installer.phase;

/** The work of one step. */
@FunctionalInterface
public interface StepAction {
  StepOutcome run() throws StepFailure;
}
