package io.liteboxd.installer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** The node subcommands. */
@Command(name = "node", description = "Manage single nodes.", subcommands = NodeRemoveCommand.class)
final class NodeCommand implements Runnable {
  @ParentCommand InstallerCommand top;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a node command is required: remove");
  }
}
