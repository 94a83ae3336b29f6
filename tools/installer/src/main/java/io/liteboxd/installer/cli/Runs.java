package io.liteboxd.installer.cli;

import io.liteboxd.installer.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** Exit codes, in one place: 0 ok, 1 a phase failed, 2 bad configuration or usage. */
final class Runs {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  @FunctionalInterface
  interface Body {
    int run() throws Exception;
  }

  private Runs() {}

  /**
   * Runs a command body. Phase failures are printed by the bodies through their redacting log; what
   * reaches here happened before the log existed (the configuration) or is the installer's own
   * trouble (state file, log file), which holds no secret.
   */
  static int guarded(PrintStream out, Body body) {
    try {
      return body.run();
    } catch (ConfigException e) {
      out.println(e.getMessage());
      return USAGE;
    } catch (IOException | UncheckedIOException e) {
      out.println("ERROR: " + e.getMessage());
      return FAILED;
    } catch (Exception e) {
      out.println("ERROR: " + e);
      return FAILED;
    }
  }
}
