package io.liteboxd.installer.remote;

/** A machine could not be reached or a command did not finish; {@link #kind()} says which. */
public final class RemoteException extends Exception {
  public enum Kind {
    /** TCP connect failed or timed out: the machine or its sshd is down. */
    UNREACHABLE,
    /** The password was refused (for SSH, or for sudo). */
    AUTH_FAILED,
    /** The machine's host key differs from the one pinned in the known-hosts file. */
    HOST_KEY_CHANGED,
    /** The command ran past its timeout and was stopped. */
    TIMEOUT,
    /** The connection broke while a command ran or a file was sent. */
    CONNECTION_LOST
  }

  private final Kind kind;

  public RemoteException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public RemoteException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
