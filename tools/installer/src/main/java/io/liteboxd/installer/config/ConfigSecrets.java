package io.liteboxd.installer.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every secret in a configuration, for the redactor: passwords and registry credentials. */
public final class ConfigSecrets {
  private ConfigSecrets() {}

  public static List<Secret> of(InstallConfig config) {
    List<Secret> out = new ArrayList<>();
    for (NodeConfig n : config.cluster().allNodes()) out.add(n.password());
    collect(config.cluster().registries(), out);
    return out;
  }

  private static void collect(Object value, List<Secret> out) {
    if (value instanceof Secret s) out.add(s);
    else if (value instanceof Map<?, ?> m) m.values().forEach(v -> collect(v, out));
    else if (value instanceof List<?> l) l.forEach(v -> collect(v, out));
  }
}
