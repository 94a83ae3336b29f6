package io.liteboxd.installer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Continues a run that stopped: steps done before with the same configuration are skipped. */
@Command(name = "resume", description = "Continue from state.json: steps already done (same configuration) are skipped.")
final class ResumeCommand implements Callable<Integer> {
  @ParentCommand InstallerCommand top;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  ModeOptions mode;

  @Override
  public Integer call() {
    return Install.run(top, ModeOptions.of(mode), false, true);
  }
}
