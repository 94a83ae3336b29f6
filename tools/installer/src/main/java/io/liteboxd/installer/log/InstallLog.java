package io.liteboxd.installer.log;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

/**
 * The installer's output: short lines on the console, detailed lines (every command with its
 * output) in the optional log file. Everything passes the {@link Redactor} first; this is the only
 * way output leaves the program, so no secret can slip past it.
 */
public final class InstallLog implements AutoCloseable {
  private static final int TAIL_CHARS = 2000;

  private final Redactor redactor;
  private final PrintStream console;
  private final Writer file;
  private final boolean verbose;

  public InstallLog(Redactor redactor, PrintStream console, Path logFile, boolean verbose) throws IOException {
    this.redactor = redactor;
    this.console = console;
    this.verbose = verbose;
    if (logFile != null) {
      Path parent = logFile.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      this.file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } else {
      this.file = null;
    }
  }

  public Redactor redactor() {
    return redactor;
  }

  /** A line for the user (and the file). */
  public synchronized void info(String message) {
    String line = redactor.redact(message);
    console.println(line);
    toFile("INFO ", line);
  }

  /** A detail: in the file, and on the console with -v. */
  public synchronized void detail(String message) {
    String line = redactor.redact(message);
    if (verbose) console.println("  " + line);
    toFile("DEBUG", line);
  }

  public synchronized void error(String message) {
    String line = redactor.redact(message);
    console.println("ERROR: " + line);
    toFile("ERROR", line);
  }

  /** One command that ran (remote or local), with the tails of its output. */
  public void command(String where, String description, int exitCode, Duration took, String stdout, String stderr) {
    StringBuilder sb = new StringBuilder();
    sb.append(where).append(": ").append(description).append(" -> exit ").append(exitCode)
        .append(" in ").append(took.toMillis()).append(" ms");
    if (stdout != null && !stdout.isBlank()) sb.append("\n    stdout: ").append(indent(tail(stdout)));
    if (stderr != null && !stderr.isBlank()) sb.append("\n    stderr: ").append(indent(tail(stderr)));
    detail(sb.toString());
  }

  public static String tail(String text) {
    if (text == null) return "";
    String t = text.strip();
    return t.length() <= TAIL_CHARS ? t : "..." + t.substring(t.length() - TAIL_CHARS);
  }

  private static String indent(String text) {
    return text.replace("\n", "\n            ");
  }

  private void toFile(String level, String line) {
    if (file == null) return;
    try {
      file.write(Instant.now() + " " + level + " " + line + "\n");
      file.flush();
    } catch (IOException e) {
      console.println("WARN: cannot write the log file: " + e.getMessage());
    }
  }

  @Override
  public synchronized void close() {
    if (file == null) return;
    try {
      file.close();
    } catch (IOException ignored) {
      // Closing at exit; nothing left to do about it.
    }
  }
}
