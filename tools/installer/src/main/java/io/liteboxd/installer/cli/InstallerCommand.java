package io.liteboxd.installer.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top command: options every subcommand shares. */
@Command(
    name = "liteboxd-installer",
    mixinStandardHelpOptions = true,
    version = "liteboxd-installer 0.1.0",
    description = "Installs k3s on machines over SSH, then LiteBoxd on it.",
    subcommands = {ApplyCommand.class, ResumeCommand.class, NodeCommand.class, ValidateCommand.class})
public final class InstallerCommand implements Runnable {
  @Option(names = {"-f", "--file"}, defaultValue = "install.yaml", description = "The configuration (default: ${DEFAULT-VALUE}).")
  Path file;

  @Option(names = "--state", description = "state.json (default: ~/.liteboxd-installer/<cluster.name>/state.json).")
  Path state;

  @Option(names = "--log-file", description = "Also write a detailed log (every command, its output) here.")
  Path logFile;

  @Option(names = {"-v", "--verbose"}, description = "Print the details on the console too.")
  boolean verbose;

  final Wiring wiring;

  public InstallerCommand(Wiring wiring) {
    this.wiring = wiring;
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: apply, resume, node remove or validate");
  }

  /** The command line with its exit codes: 0 ok, 1 a phase failed, 2 bad configuration or usage. */
  public static CommandLine commandLine(Wiring wiring) {
    CommandLine cl = new CommandLine(new InstallerCommand(wiring), new Factory(wiring));
    cl.setOut(new PrintWriter(wiring.out(), true));
    cl.setErr(new PrintWriter(wiring.out(), true));
    return cl;
  }

  /** Subcommands are plain classes; the top command, built with the wiring, is their parent. */
  private record Factory(Wiring wiring) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls == InstallerCommand.class) return cls.cast(new InstallerCommand(wiring));
      return CommandLine.defaultFactory().create(cls);
    }
  }
}
