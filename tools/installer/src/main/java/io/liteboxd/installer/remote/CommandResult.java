package io.liteboxd.installer.remote;

import java.time.Duration;

/** What a {@link RemoteCommand} did: its exit code and its output, both streams whole. */
public record CommandResult(int exitCode, String stdout, String stderr, Duration took) {
  public boolean ok() {
    return exitCode == 0;
  }
}
