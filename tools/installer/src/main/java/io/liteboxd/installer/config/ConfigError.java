package io.liteboxd.installer.config;

/** One thing wrong in the configuration, located so the user can go straight to it. */
public record ConfigError(String file, int line, String path, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
