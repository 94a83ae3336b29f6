package io.liteboxd.installer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Runs every phase; each checks before it acts, so applying again is safe. */
@Command(name = "apply", description = "Install or update the cluster and LiteBoxd (every step, each idempotent).")
final class ApplyCommand implements Callable<Integer> {
  @ParentCommand InstallerCommand top;

  @Option(names = "--dry-run", description = "Print every step and command; contact and change nothing.")
  boolean dryRun;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ModeOptions mode;

  @Override
  public Integer call() {
    return Install.run(top, ModeOptions.of(mode), dryRun, false);
  }
}
