package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;

/** One stage of an install, with one job; {@link PhaseRunner} runs them in order. */
public interface Phase {
  String name();

  /**
   * A hash of the configuration this phase depends on; resume skips a phase that is DONE with the
   * same fingerprint. Null: the phase always runs (it reads something the later phases need, or
   * looks at the live cluster).
   */
  default String fingerprint(InstallConfig config) {
    return null;
  }

  StepOutcome run(PhaseContext ctx) throws PhaseFailedException;
}
