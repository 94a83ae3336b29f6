package io.liteboxd.installer.state;

/** Where one step (a phase, or a phase on one node) stands. */
public enum StepStatus {
  PENDING,
  RUNNING,
  DONE,
  FAILED,
  SKIPPED;

  /** DONE and SKIPPED need no more work; resume moves past them. */
  public boolean finished() {
    return this == DONE || this == SKIPPED;
  }
}
