package io.liteboxd.installer.config;

import java.util.List;
import java.util.stream.Collectors;

/** Every error found in a configuration file; all of them are reported at once, one per line. */
public final class ConfigException extends Exception {
  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }
}
