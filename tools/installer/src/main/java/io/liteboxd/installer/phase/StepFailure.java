package io.liteboxd.installer.phase;

/** A step could not do its job; the message says what, with the command's stderr tail. */
public final class StepFailure extends Exception {
  public StepFailure(String message) {
    super(message);
  }

  public StepFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
