package io.liteboxd.installer;

import io.liteboxd.installer.cli.InstallerCommand;
import io.liteboxd.installer.cli.Wiring;

/** Entry point of liteboxd-installer; the commands are defined in {@code cli}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(InstallerCommand.commandLine(Wiring.real()).execute(args));
  }
}
