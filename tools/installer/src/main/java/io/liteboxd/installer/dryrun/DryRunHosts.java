package io.liteboxd.installer.dryrun;

import io.liteboxd.installer.log.InstallLog;
import io.liteboxd.installer.remote.CommandResult;
import io.liteboxd.installer.remote.HostAccess;
import io.liteboxd.installer.remote.RemoteCommand;
import io.liteboxd.installer.remote.RemoteHost;
import io.liteboxd.installer.remote.RemoteHosts;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Machines that are never contacted: each command is printed (description, then the script it
 * would send, secrets masked by the log) and answers exit 0 with no output, which every probe of
 * the phases reads as "not installed yet", so the dry run shows the full install.
 */
public final class DryRunHosts implements RemoteHosts {
  private static final int MAX_SHOWN = 8192;

  private final InstallLog log;

  public DryRunHosts(InstallLog log) {
    this.log = log;
  }

  @Override
  public RemoteHost connect(HostAccess access) {
    return new Host(access);
  }

  @Override
  public void close() {}

  /** The content as text if it is short UTF-8 text (a config file), else null (a binary). */
  static String smallText(byte[] content) {
    if (content.length > MAX_SHOWN) return null;
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
      return text.indexOf('\0') >= 0 ? null : text;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private final class Host implements RemoteHost {
    private final HostAccess access;

    Host(HostAccess access) {
      this.access = access;
    }

    @Override
    public HostAccess access() {
      return access;
    }

    @Override
    public CommandResult run(RemoteCommand command) {
      StringBuilder sb = new StringBuilder();
      sb.append("[dry-run] ").append(access.address()).append(": ").append(command.description())
          .append(command.asRoot() ? " (as root)" : "");
      for (String line : command.script().strip().split("\n")) sb.append("\n    | ").append(line);
      log.info(sb.toString());
      return new CommandResult(0, "", "", Duration.ZERO);
    }

    @Override
    public void upload(byte[] content, String path, String mode, boolean asRoot) {
      StringBuilder sb = new StringBuilder("[dry-run] " + access.address() + ": upload " + content.length
          + " bytes to " + path + " (mode " + mode + (asRoot ? ", as root" : "") + ")");
      String text = smallText(content);
      if (text != null) {
        for (String line : text.strip().split("\n")) sb.append("\n    | ").append(line);
      }
      // Through the log, so the credentials a registries.yaml holds are masked.
      log.info(sb.toString());
    }

    @Override
    public void close() {}
  }
}
