package io.liteboxd.installer.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping read field by field, each field with its path (cluster.agents[1].port) and line,
 * so every error points at its place. Wrong values are reported and replaced by the default, so
 * reading goes on and finds the other errors too.
 */
final class YamlMap {
  private final Node node;
  /** Where errors about this mapping point when it is absent: its key, or its parent. */
  private final Node anchor;
  private final String path;
  private final ConfigErrors errors;
  private final EnvExpander env;
  private final Map<String, Node> values = new LinkedHashMap<>();
  private final Map<String, Node> keys = new LinkedHashMap<>();

  YamlMap(Node node, String path, ConfigErrors errors, EnvExpander env) {
    this(node, node, path, errors, env);
  }

  private YamlMap(Node node, Node anchor, String path, ConfigErrors errors, EnvExpander env) {
    this.node = node;
    this.anchor = anchor;
    this.path = path;
    this.errors = errors;
    this.env = env;
    if (node instanceof MappingNode mapping) {
      for (NodeTuple t : mapping.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
        if (keys.containsKey(key)) {
          errors.add(t.getKeyNode(), path(key), "duplicate key");
        }
        keys.put(key, t.getKeyNode());
        values.put(key, isNull(t.getValueNode()) ? null : t.getValueNode());
      }
    } else if (node != null && !isNull(node)) {
      errors.add(node, path, "must be a mapping");
    }
  }

  static boolean isNull(Node n) {
    return n == null || Tag.NULL.equals(n.getTag());
  }

  Node node() {
    return node;
  }

  String path() {
    return path;
  }

  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  int line() {
    return ConfigErrors.lineOf(anchor);
  }

  /** Reports every key that is not one of {@code allowed}, listing the allowed ones. */
  void allow(String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (var e : keys.entrySet()) {
      if (!ok.contains(e.getKey())) {
        errors.add(e.getValue(), path(e.getKey()), "unknown key; allowed: " + String.join(", ", new TreeSet<>(ok)));
      }
    }
  }

  boolean has(String key) {
    return values.get(key) != null;
  }

  Node raw(String key) {
    return values.get(key);
  }

  /** The line of a field, or of this mapping when the field is absent. */
  Node at(String key) {
    Node v = values.get(key);
    if (v != null) return v;
    Node k = keys.get(key);
    return k != null ? k : anchor;
  }

  void error(String key, String message) {
    errors.add(at(key), path(key), message);
  }

  String string(String key, String def) {
    Node v = values.get(key);
    if (v == null) return def;
    if (!(v instanceof ScalarNode s)) {
      errors.add(v, path(key), "must be a string");
      return def;
    }
    return env.expand(s.getValue(), v, path(key)).trim();
  }

  String required(String key) {
    String v = string(key, null);
    if (v == null || v.isEmpty()) {
      if (v == null) error(key, "is required");
      else error(key, "must not be empty");
      return "";
    }
    return v;
  }

  /** The name of the environment variable a field is, when it is exactly one ${NAME}; else null. */
  String envReference(String key) {
    return values.get(key) instanceof ScalarNode s ? EnvExpander.soleReference(s.getValue()) : null;
  }

  Secret secret(String key, boolean required) {
    String v = required ? required(key) : string(key, "");
    return Secret.of(v);
  }

  int integer(String key, int def, int min, int max) {
    String v = string(key, null);
    if (v == null) return def;
    try {
      int i = Integer.parseInt(v);
      if (i < min || i > max) {
        error(key, "must be " + min + "-" + max);
        return def;
      }
      return i;
    } catch (NumberFormatException e) {
      error(key, "must be a whole number " + min + "-" + max);
      return def;
    }
  }

  boolean bool(String key, boolean def) {
    String v = string(key, null);
    if (v == null) return def;
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> {
        error(key, "must be true or false");
        yield def;
      }
    };
  }

  <E extends Enum<E>> E enumValue(String key, Class<E> type, E def) {
    String v = string(key, null);
    if (v == null) return def;
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) return e;
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
    error(key, "must be one of " + String.join(", ", names) + " (got '" + v + "')");
    return def;
  }

  YamlMap map(String key) {
    Node v = values.get(key);
    return new YamlMap(v, v == null ? keys.getOrDefault(key, anchor) : v, path(key), errors, env);
  }

  /** The items of a list field; a missing field is an empty list. */
  List<Node> items(String key) {
    Node v = values.get(key);
    if (v == null) return List.of();
    if (!(v instanceof SequenceNode seq)) {
      errors.add(v, path(key), "must be a list");
      return List.of();
    }
    return seq.getValue();
  }

  List<YamlMap> maps(String key) {
    List<YamlMap> out = new ArrayList<>();
    List<Node> items = items(key);
    for (int i = 0; i < items.size(); i++) {
      out.add(new YamlMap(items.get(i), path(key) + "[" + i + "]", errors, env));
    }
    return out;
  }

  List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    List<Node> items = items(key);
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      String p = path(key) + "[" + i + "]";
      if (item instanceof ScalarNode s) out.add(env.expand(s.getValue(), item, p).trim());
      else errors.add(item, p, "must be a string");
    }
    return out;
  }

  /**
   * A free-form mapping (Helm values, registries.yaml) as plain Java values, strings expanded;
   * values under a key in {@code secretKeys} become {@link Secret}s.
   */
  Map<String, Object> plain(String key, Set<String> secretKeys) {
    Node v = values.get(key);
    if (v == null) return Map.of();
    if (!(v instanceof MappingNode)) {
      errors.add(v, path(key), "must be a mapping");
      return Map.of();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) toPlain(v, path(key), false, secretKeys);
    return m;
  }

  private Object toPlain(Node n, String p, boolean secret, Set<String> secretKeys) {
    if (n instanceof MappingNode mapping) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (NodeTuple t : mapping.getValue()) {
        String k = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
        out.put(k, toPlain(t.getValueNode(), p + "." + k, secretKeys.contains(k), secretKeys));
      }
      return out;
    }
    if (n instanceof SequenceNode seq) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < seq.getValue().size(); i++) {
        out.add(toPlain(seq.getValue().get(i), p + "[" + i + "]", secret, secretKeys));
      }
      return out;
    }
    ScalarNode s = (ScalarNode) n;
    Tag tag = s.getTag();
    if (Tag.NULL.equals(tag)) return null;
    if (secret) return Secret.of(env.expand(s.getValue(), n, p));
    if (Tag.BOOL.equals(tag)) return Boolean.parseBoolean(s.getValue().toLowerCase(Locale.ROOT));
    if (Tag.INT.equals(tag)) {
      try {
        return Long.parseLong(s.getValue());
      } catch (NumberFormatException e) {
        return s.getValue();
      }
    }
    if (Tag.FLOAT.equals(tag)) {
      try {
        return Double.parseDouble(s.getValue());
      } catch (NumberFormatException e) {
        return s.getValue();
      }
    }
    return env.expand(s.getValue(), n, p);
  }
}
