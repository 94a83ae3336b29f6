package io.liteboxd.installer.config;

import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.nodes.Node;

/** Collects errors while a file is read, so the user sees all of them in one go. */
final class ConfigErrors {
  private final String file;
  private final List<ConfigError> errors = new ArrayList<>();

  ConfigErrors(String file) {
    this.file = file;
  }

  void add(int line, String path, String message) {
    errors.add(new ConfigError(file, line, path, message));
  }

  void add(Node node, String path, String message) {
    add(lineOf(node), path, message);
  }

  static int lineOf(Node node) {
    return node == null ? 1 : node.getStartMark().getLine() + 1;
  }

  boolean isEmpty() {
    return errors.isEmpty();
  }

  /** In file order (a stable sort: errors of one line keep the order they were found in). */
  List<ConfigError> list() {
    return errors.stream().sorted(java.util.Comparator.comparingInt(ConfigError::line)).toList();
  }
}
