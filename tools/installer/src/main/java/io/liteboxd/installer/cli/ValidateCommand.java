package io.liteboxd.installer.cli;

import io.liteboxd.installer.config.ConfigLoader;
import io.liteboxd.installer.config.InstallConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Checks the configuration only; contacts nothing. */
@Command(name = "validate", description = "Check the configuration file and exit (0 valid, 2 errors).")
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand InstallerCommand top;

  @Option(names = "--cluster-only", description = "Do not require the liteboxd chart and configDir.")
  boolean clusterOnly;

  @Override
  public Integer call() {
    return Runs.guarded(top.wiring.out(), () -> {
      InstallConfig c = new ConfigLoader(top.wiring.env()).load(top.file, clusterOnly);
      top.wiring.out().println(top.file + ": valid (cluster " + c.cluster().name() + ", 1 master, "
          + c.cluster().agents().size() + " agents)");
      return Runs.OK;
    });
  }
}
