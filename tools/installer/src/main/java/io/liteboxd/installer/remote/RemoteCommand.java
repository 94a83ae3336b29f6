package io.liteboxd.installer.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * A shell script to run on a machine. The script travels on the command's standard input (never
 * on a command line, where other users of the machine could read it with ps), so it may hold
 * secrets; {@code description} is what logs and dry runs print instead of the script.
 *
 * @param asRoot run it as root (through sudo unless the user is root)
 */
public record RemoteCommand(String description, String script, boolean asRoot, Duration timeout) {
  public RemoteCommand {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(timeout, "timeout");
  }
}
