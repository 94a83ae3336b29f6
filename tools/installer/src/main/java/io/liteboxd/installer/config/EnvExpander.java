package io.liteboxd.installer.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Replaces ${VAR} in configuration strings. An unset variable is an error (naming the variable and
 * the line), never an empty string: an empty password would only fail later, far from its cause.
 */
final class EnvExpander {
  private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> env;
  private final ConfigErrors errors;

  EnvExpander(Map<String, String> env, ConfigErrors errors) {
    this.env = env;
    this.errors = errors;
  }

  /**
   * The variable's name when {@code value} is exactly one reference ("${NAME}", spaces around
   * allowed), else null: what may be kept in state.json in place of the value it stands for.
   */
  static String soleReference(String value) {
    Matcher m = VAR.matcher(value.trim());
    return m.matches() ? m.group(1) : null;
  }

  String expand(String value, Node node, String path) {
    Matcher m = VAR.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String replacement = env.get(name);
      if (replacement == null) {
        errors.add(node, path, "environment variable " + name + " is not set");
        // Left as written, so no second error ("must not be empty") follows from this one.
        replacement = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
