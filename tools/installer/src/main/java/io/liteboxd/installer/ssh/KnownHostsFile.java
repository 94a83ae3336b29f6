package io.liteboxd.installer.ssh;

import io.liteboxd.installer.remote.RemoteException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Host keys pinned on first use, in an OpenSSH known-hosts file: one line {@code host keytype
 * base64} per machine, the host written as OpenSSH does ({@code host} for port 22, {@code
 * [host]:port} otherwise). A machine not in the file is added and accepted; a machine in the file
 * whose key differs is refused, naming the file and the line to delete if the change is expected.
 *
 * <p>One instance per file; {@link #check} is synchronized so concurrent first connections (the
 * phases connect to several machines in parallel) append whole lines one at a time. Hashed entries
 * ({@code |1|...}) and marker lines ({@code @cert-authority}, {@code @revoked}) are not ours and
 * are skipped.
 */
public final class KnownHostsFile {
  private static final Logger log = LoggerFactory.getLogger(KnownHostsFile.class);

  /** What {@link #check} found. */
  public enum Verdict {
    /** The file had this key for this machine. */
    MATCHED,
    /** The machine was not in the file; its key is now. */
    ADDED
  }

  private final Path file;

  public KnownHostsFile(Path file) {
    this.file = file.toAbsolutePath();
  }

  public Path file() {
    return file;
  }

  /** The host field OpenSSH writes for host:port. */
  public static String hostToken(String host, int port) {
    return port == 22 ? host : "[" + host + "]:" + port;
  }

  /**
   * Accepts {@code key} for host:port if the file pins that key (or nothing yet, then pins it);
   * throws {@link RemoteException.Kind#HOST_KEY_CHANGED} if the file pins another key.
   */
  public synchronized Verdict check(String host, int port, PublicKey key) throws RemoteException {
    String token = hostToken(host, port);
    String presented = keyString(key);
    List<String> lines = readLines();
    int mismatchLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String[] fields = lines.get(i).trim().split("\\s+");
      if (fields.length < 3 || fields[0].startsWith("#") || fields[0].startsWith("@")) {
        continue;
      }
      if (!List.of(fields[0].split(",")).contains(token)) {
        continue;
      }
      if ((fields[1] + " " + fields[2]).equals(presented)) {
        return Verdict.MATCHED;
      }
      if (mismatchLine == 0) {
        mismatchLine = i + 1;
      }
    }
    if (mismatchLine != 0) {
      throw new RemoteException(
          RemoteException.Kind.HOST_KEY_CHANGED,
          "the host key of "
              + host
              + ":"
              + port
              + " is not the one pinned in "
              + file
              + " line "
              + mismatchLine
              + " (it now presents "
              + KeyUtils.getFingerPrint(key)
              + "); if the machine was reinstalled or its keys regenerated, delete that line and"
              + " connect again");
    }
    append(token + " " + presented);
    log.info(
        "pinned the host key of {}:{} ({} {}) in {}",
        host,
        port,
        KeyUtils.getKeyType(key),
        KeyUtils.getFingerPrint(key),
        file);
    return Verdict.ADDED;
  }

  /** {@code keytype base64}, the key as a known-hosts line holds it. */
  static String keyString(PublicKey key) {
    return PublicKeyEntry.toString(key).trim();
  }

  private List<String> readLines() {
    try {
      return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the known-hosts file " + file, e);
    }
  }

  private void append(String line) {
    try {
      Path parent = file.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException ignored) {
        // appended to below
      }
      // A file written by hand may lack the final newline: start on a line of our own.
      String prefix = "";
      long size = Files.size(file);
      if (size > 0) {
        byte[] all = Files.readAllBytes(file);
        if (all[all.length - 1] != '\n') {
          prefix = "\n";
        }
      }
      Files.writeString(
          file, prefix + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the known-hosts file " + file, e);
    }
  }
}
