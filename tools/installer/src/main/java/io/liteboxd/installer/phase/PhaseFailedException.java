package io.liteboxd.installer.phase;

/** The run stopped: {@code phase} failed, on {@code node} (null for a phase-wide step). */
public final class PhaseFailedException extends Exception {
  private final String phase;
  private final String node;

  public PhaseFailedException(String phase, String node, String message) {
    super("phase " + phase + (node == null ? "" : " on " + node) + " failed: " + message);
    this.phase = phase;
    this.node = node;
  }

  public String phase() {
    return phase;
  }

  public String node() {
    return node;
  }
}
