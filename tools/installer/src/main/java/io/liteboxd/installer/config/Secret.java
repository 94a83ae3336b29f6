package io.liteboxd.installer.config;

import java.util.Objects;

/**
 * A value from the configuration that must never be printed: a password or a token. Its
 * {@code toString} is a mask, so a record holding it can be logged; {@link #reveal()} is the one
 * way to the value, for the code that hands it to SSH or to a remote command's standard input.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "******";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
