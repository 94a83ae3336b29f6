package io.liteboxd.installer.ssh;

import io.liteboxd.installer.remote.CommandResult;
import io.liteboxd.installer.remote.HostAccess;
import io.liteboxd.installer.remote.RemoteCommand;
import io.liteboxd.installer.remote.RemoteException;
import io.liteboxd.installer.remote.RemoteException.Kind;
import io.liteboxd.installer.remote.RemoteHost;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SSH session to one machine ({@link SshHosts#connect}); commands run on exec channels of it,
 * several at once if the caller wants.
 *
 * <p>Nothing secret is ever on a command line (other users of the machine read those with ps): a
 * script travels on the channel's standard input to {@code sh -s}; an upload's content too, to a
 * fixed {@code sh -c} script whose only arguments are the path and the mode. The script is wrapped
 * as {@code { script } </dev/null}: the shell parses the whole of it before running any of it (a
 * connection lost halfway runs nothing), and the commands in it read /dev/null, not the rest of the
 * script.
 *
 * <p>Root: if the user is root ({@code id -u} is 0) commands run as they are. Otherwise through
 * sudo: whether sudo needs a password is probed once per session with {@code sudo -n true}; if it
 * does, the password is checked once with {@code sudo -k -S -p '' true} (a wrong one is
 * AUTH_FAILED, and no script line is ever offered to sudo as a second attempt), then each command is
 * {@code sudo -k -S -p '' ... sh -s} with the password line first on standard input: sudo reads its
 * standard input one byte at a time up to the newline, the rest is the script for sh. {@code -k}
 * makes sudo always read that line, even with a cached credential.
 *
 * <p>Timeouts: the channel is closed at the deadline (TIMEOUT), and the remote side runs under
 * {@code timeout} (as root when the command is), which TERMs the command's process group 2 s after
 * the deadline and KILLs it 5 s later, so a timed-out command does not live on: sshd itself would
 * leave it running when the channel closes.
 */
final class SshHost implements RemoteHost {
  private static final Logger log = LoggerFactory.getLogger(SshHost.class);

  /** Each output stream keeps its last MiB. */
  static final int OUTPUT_LIMIT = 1 << 20;

  private static final int CHUNK = 64 * 1024;
  private static final Pattern MODE = Pattern.compile("[0-7]{3,4}");
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
  /** How long output may still come after the command's exit status. */
  private static final Duration LINGER = Duration.ofSeconds(2);

  /** Closes channels at their deadline; one daemon thread for every host. */
  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "ssh-deadlines");
            t.setDaemon(true);
            return t;
          });

  /** The fixed upload script: $1 the path, $2 the mode; the content is its standard input. */
  static final String UPLOAD_SCRIPT =
      "set -e; t=\"$1.lbx-upload\"; (umask 022; mkdir -p \"$(dirname \"$1\")\"); umask 077;"
          + " trap 'rm -f \"$t\"' EXIT; cat >\"$t\"; chmod \"$2\" \"$t\"; mv -f \"$t\" \"$1\"; trap - EXIT";

  private enum Elevation {
    /** The user is root. */
    NONE,
    SUDO_NOPASSWD,
    SUDO_PASSWORD
  }

  private final HostAccess access;
  private final ClientSession session;
  private final Duration openTimeout;
  private final Object probeLock = new Object();
  private volatile Elevation elevation;

  SshHost(HostAccess access, ClientSession session, Duration openTimeout) {
    this.access = access;
    this.session = session;
    this.openTimeout = openTimeout;
  }

  @Override
  public HostAccess access() {
    return access;
  }

  @Override
  public CommandResult run(RemoteCommand command) throws RemoteException {
    Elevation how = command.asRoot() ? elevation() : Elevation.NONE;
    String line = prefix(how) + timeoutPrefix(command.timeout()) + "sh -s";
    byte[] script = ("{\n" + command.script() + "\n} </dev/null\n").getBytes(StandardCharsets.UTF_8);
    log.debug("{}: running '{}'{}", access.address(), command.description(), command.asRoot() ? " as root" : "");
    return exec(command.description(), line, passwordLine(how), script, command.timeout());
  }

  @Override
  public void upload(byte[] content, String path, String mode, boolean asRoot) throws RemoteException {
    if (!MODE.matcher(mode).matches()) {
      throw new IllegalArgumentException("mode must be octal like 0644, not " + mode);
    }
    if (path.isEmpty() || path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("bad remote path " + path);
    }
    Elevation how = asRoot ? elevation() : Elevation.NONE;
    // Generous: 60 s plus 1 s per MiB (a 70 MB binary on a slow link).
    Duration timeout = Duration.ofSeconds(60 + content.length / (1 << 20));
    String line =
        prefix(how)
            + timeoutPrefix(timeout)
            + "sh -c "
            + quote(UPLOAD_SCRIPT)
            + " sh "
            + quote(path)
            + " "
            + quote(mode);
    String description = "upload " + path;
    log.debug("{}: uploading {} bytes to {} (mode {}{})", access.address(), content.length, path, mode, asRoot ? ", as root" : "");
    CommandResult result = exec(description, line, passwordLine(how), content, timeout);
    if (!result.ok()) {
      throw new UncheckedIOException(
          new IOException(
              access.address()
                  + ": writing "
                  + path
                  + " failed (exit "
                  + result.exitCode()
                  + "): "
                  + result.stderr().strip()));
    }
  }

  /** How this session gets root: probed once, by the first command that needs it. */
  private Elevation elevation() throws RemoteException {
    Elevation known = elevation;
    if (known != null) {
      return known;
    }
    synchronized (probeLock) {
      if (elevation != null) {
        return elevation;
      }
      CommandResult probe =
          exec(
              "probe root access",
              "sh -s",
              null,
              "id -u; if sudo -n true 2>/dev/null; then echo nopasswd; else echo passwd; fi\n".getBytes(StandardCharsets.UTF_8),
              PROBE_TIMEOUT);
      String[] out = probe.stdout().strip().split("\\s+");
      if (!probe.ok() || out.length != 2) {
        throw new RemoteException(
            Kind.AUTH_FAILED, access.address() + ": cannot tell how to become root: " + probe.stderr().strip());
      }
      Elevation found;
      if (out[0].equals("0")) {
        found = Elevation.NONE;
      } else if (!access.sudo()) {
        throw new RemoteException(
            Kind.AUTH_FAILED,
            access.address() + ": " + access.user() + " is not root and sudo is not enabled for this machine");
      } else if (out[1].equals("nopasswd")) {
        found = Elevation.SUDO_NOPASSWD;
      } else {
        CommandResult check =
            exec("check the sudo password", "sudo -k -S -p '' true", passwordLine(Elevation.SUDO_PASSWORD), new byte[0], PROBE_TIMEOUT);
        if (!check.ok()) {
          throw new RemoteException(
              Kind.AUTH_FAILED,
              access.address() + ": sudo refused the password of " + access.user() + ": " + lastLine(check.stderr()));
        }
        found = Elevation.SUDO_PASSWORD;
      }
      log.debug("{}: root through {}", access.address(), found);
      elevation = found;
      return found;
    }
  }

  private static String prefix(Elevation how) {
    return switch (how) {
      case NONE -> "";
      case SUDO_NOPASSWD -> "sudo -n -- ";
      case SUDO_PASSWORD -> "sudo -k -S -p '' -- ";
    };
  }

  private byte[] passwordLine(Elevation how) throws RemoteException {
    if (how != Elevation.SUDO_PASSWORD) {
      return null;
    }
    String password = access.password().reveal();
    // sudo reads one line: a line break in the password would hand the rest of it to sh.
    if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
      throw new RemoteException(
          Kind.AUTH_FAILED, access.address() + ": a password with a line break cannot be given to sudo");
    }
    return (password + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The remote side's own deadline: 2 s after ours, then KILL 5 s after the TERM. */
  private static String timeoutPrefix(Duration timeout) {
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000) + 2;
    return "timeout -k 5 " + seconds + " ";
  }

  private CommandResult exec(String description, String commandLine, byte[] head, byte[] body, Duration timeout)
      throws RemoteException {
    long started = System.nanoTime();
    if (!session.isOpen()) {
      throw new RemoteException(Kind.CONNECTION_LOST, access.address() + ": the SSH connection is closed (" + description + ")");
    }
    TailBuffer stdout = new TailBuffer(OUTPUT_LIMIT);
    TailBuffer stderr = new TailBuffer(OUTPUT_LIMIT);
    ChannelExec channel;
    try {
      channel = session.createExecChannel(commandLine, null, Map.of());
      channel.setOut(stdout);
      channel.setErr(stderr);
      channel.open().verify(openTimeout);
    } catch (IOException e) {
      throw new RemoteException(
          Kind.CONNECTION_LOST, access.address() + ": cannot open a channel for '" + description + "': " + e.getMessage(), e);
    }
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> deadline =
        DEADLINES.schedule(
            () -> {
              timedOut.set(true);
              channel.close(true);
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      IOException writeFailure = null;
      try (OutputStream in = channel.getInvertedIn()) {
        if (head != null) {
          in.write(head);
        }
        for (int off = 0; off < body.length; off += CHUNK) {
          in.write(body, off, Math.min(CHUNK, body.length - off));
        }
        in.flush();
      } catch (IOException e) {
        // The command may have ended without reading all of its input: its exit status says.
        writeFailure = e;
      }
      long left = Math.max(1, timeout.toMillis() - (System.nanoTime() - started) / 1_000_000);
      Set<ClientChannelEvent> events =
          channel.waitFor(
              EnumSet.of(ClientChannelEvent.CLOSED, ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.EXIT_SIGNAL),
              left + 1000);
      if (!events.contains(ClientChannelEvent.CLOSED)
          && (events.contains(ClientChannelEvent.EXIT_STATUS) || events.contains(ClientChannelEvent.EXIT_SIGNAL))) {
        // The command ended; sshd closes the channel once its output is drained, unless something
        // it started in the background still holds stdout/stderr open: then the result is what the
        // command printed so far.
        events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), LINGER.toMillis());
        if (!events.contains(ClientChannelEvent.CLOSED)) {
          log.debug("{}: '{}' exited but its output stays open (a background process?); not waiting for it", access.address(), description);
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      boolean exited = channel.getExitStatus() != null || channel.getExitSignal() != null;
      if (!exited && (timedOut.get() || !events.contains(ClientChannelEvent.CLOSED))) {
        throw new RemoteException(
            Kind.TIMEOUT,
            access.address() + ": '" + description + "' did not finish within " + timeout.toSeconds() + " s; stopped");
      }
      Integer status = channel.getExitStatus();
      String signal = channel.getExitSignal();
      if (status == null && signal != null) {
        status = 128 + signalNumber(signal);
      }
      if (status == null) {
        Throwable cause = writeFailure;
        throw new RemoteException(
            Kind.CONNECTION_LOST,
            access.address() + ": the connection broke during '" + description + "'"
                + (session.isOpen() ? " (the channel closed without an exit status)" : ""),
            cause);
      }
      return new CommandResult(status, stdout.toString(), stderr.toString(), took);
    } finally {
      deadline.cancel(false);
      channel.close(true);
    }
  }

  private static int signalNumber(String name) {
    return switch (name) {
      case "HUP" -> 1;
      case "INT" -> 2;
      case "QUIT" -> 3;
      case "ABRT" -> 6;
      case "KILL" -> 9;
      case "SEGV" -> 11;
      case "PIPE" -> 13;
      case "ALRM" -> 14;
      case "TERM" -> 15;
      default -> 127;
    };
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** One argument for the remote login shell, single-quoted. */
  static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Override
  public void close() {
    session.close(true);
  }
}
