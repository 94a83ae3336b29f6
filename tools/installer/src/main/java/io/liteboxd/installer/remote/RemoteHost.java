package io.liteboxd.installer.remote;

/**
 * One open connection to one machine. Implementations: {@code SshHost} (the real one); the phases
 * only ever see this interface.
 */
public interface RemoteHost extends AutoCloseable {
  HostAccess access();

  /** Runs a script; a non-zero exit is a result, not an exception. */
  CommandResult run(RemoteCommand command) throws RemoteException;

  /**
   * Writes {@code content} to {@code path} (mode as octal, e.g. "0600"), as root if {@code asRoot};
   * the parent directory is created. Never through a command line.
   */
  void upload(byte[] content, String path, String mode, boolean asRoot) throws RemoteException;

  @Override
  void close();
}
