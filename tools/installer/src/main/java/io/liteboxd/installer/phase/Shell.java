package io.liteboxd.installer.phase;

import java.util.List;
import java.util.stream.Collectors;

/** Quoting for the scripts sent to the machines. */
final class Shell {
  private Shell() {}

  /** One shell word, single-quoted unless plainly safe. */
  static String quote(String s) {
    if (!s.isEmpty() && s.matches("[A-Za-z0-9_@%+=:,./-]+")) return s;
    return "'" + s.replace("'", "'\\''") + "'";
  }

  static String join(List<String> words) {
    return words.stream().collect(Collectors.joining(" "));
  }
}
