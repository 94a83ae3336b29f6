package io.liteboxd.installer.testing;

import io.liteboxd.installer.local.LocalCommand;
import io.liteboxd.installer.local.LocalCommands;
import io.liteboxd.installer.remote.CommandResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** kubectl and helm answered by a script; every command line recorded. */
public final class FakeLocal implements LocalCommands {
  private final Function<LocalCommand, CommandResult> responder;
  private final List<String> lines = new ArrayList<>();

  public FakeLocal(Function<LocalCommand, CommandResult> responder) {
    this.responder = responder;
  }

  @Override
  public synchronized CommandResult run(LocalCommand command) {
    lines.add(command.commandLine());
    return responder.apply(command);
  }

  @Override
  public boolean onPath(String program) {
    return true;
  }

  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
