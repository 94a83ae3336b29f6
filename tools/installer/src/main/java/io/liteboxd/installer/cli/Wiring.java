package io.liteboxd.installer.cli;

import io.liteboxd.installer.local.LocalCommands;
import io.liteboxd.installer.local.ProcessLocalCommands;
import io.liteboxd.installer.phase.Sleeper;
import io.liteboxd.installer.remote.RemoteHosts;
import io.liteboxd.installer.ssh.SshHosts;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * What the commands talk to: machines, local programs, time, the terminal, the environment. The
 * real one is built here, the one place that names the SSH implementation; tests pass fakes.
 */
public record Wiring(
    RemoteHostsFactory remoteHosts,
    Function<Path, LocalCommands> localCommands,
    Sleeper sleeper,
    PrintStream out,
    Map<String, String> env) {

  /** Opens machines with a known-hosts file and a connect timeout. */
  @FunctionalInterface
  public interface RemoteHostsFactory {
    RemoteHosts create(Path knownHostsFile, Duration connectTimeout);
  }

  public static Wiring real() {
    return new Wiring(SshHosts::new, ProcessLocalCommands::new, Sleeper.REAL, System.out, System.getenv());
  }
}
