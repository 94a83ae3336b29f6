package io.liteboxd.installer.dryrun;

import io.liteboxd.installer.local.LocalCommand;
import io.liteboxd.installer.local.LocalCommands;
import io.liteboxd.installer.log.InstallLog;
import io.liteboxd.installer.remote.CommandResult;
import java.time.Duration;

/** kubectl and helm printed, not run; every command "succeeds" with no output. */
public final class DryRunLocalCommands implements LocalCommands {
  private final InstallLog log;

  public DryRunLocalCommands(InstallLog log) {
    this.log = log;
  }

  @Override
  public CommandResult run(LocalCommand command) {
    log.info("[dry-run] local: " + command.description() + "\n    $ " + command.commandLine());
    return new CommandResult(0, "", "", Duration.ZERO);
  }

  @Override
  public boolean onPath(String program) {
    return true;
  }
}
