package io.liteboxd.installer.local;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** A program to run on this machine (kubectl, helm); no shell is involved. */
public record LocalCommand(String description, List<String> argv, Duration timeout) {
  public LocalCommand {
    argv = List.copyOf(argv);
  }

  /** The command line as a user could paste it into a shell. */
  public String commandLine() {
    return argv.stream().map(LocalCommand::quote).collect(Collectors.joining(" "));
  }

  static String quote(String arg) {
    if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_@%+=:,./-]+")) return arg;
    return "'" + arg.replace("'", "'\\''") + "'";
  }
}
