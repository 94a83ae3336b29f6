package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes k3s's /etc/rancher/k3s/registries.yaml on every machine. Runs before k3s is installed, so
 * a fresh install starts with it; on an installed node k3s is restarted, and only when the file
 * really changed (same sha256: nothing is touched).
 */
public final class RegistriesPhase implements Phase {
  public static final String NAME = "registries";
  static final String PATH = "/etc/rancher/k3s/registries.yaml";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String fingerprint(InstallConfig config) {
    return Fingerprint.of(config.cluster().allNodes(), config.cluster().registries());
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    InstallConfig c = ctx.config();
    if (c.cluster().registries().isEmpty()) return StepOutcome.skipped("no cluster.registries configured");
    byte[] content = render(c.cluster().registries()).getBytes(StandardCharsets.UTF_8);
    String sha = Fingerprint.sha256(content);
    String fp = fingerprint(c);
    Parallel.forEach(c.cluster().allNodes(), c.runtime().parallelism(),
        node -> ctx.step(NAME, node, fp, () -> write(ctx, node, content, sha)));
    return StepOutcome.done("registries.yaml on " + c.cluster().allNodes().size() + " machines");
  }

  private static StepOutcome write(PhaseContext ctx, NodeConfig node, byte[] content, String sha) throws StepFailure {
    String probe = """
        if [ -f %s ]; then echo "sha=$(sha256sum %s | cut -d' ' -f1)"; fi
        if [ -x /usr/local/bin/k3s-uninstall.sh ]; then echo service=k3s;
        elif [ -x /usr/local/bin/k3s-agent-uninstall.sh ]; then echo service=k3s-agent; fi
        """.formatted(PATH, PATH);
    String out = ctx.remoteOk(node, "read the current registries.yaml checksum", probe, true).stdout();
    String current = "";
    String service = "";
    for (String line : out.split("\n")) {
      if (line.startsWith("sha=")) current = line.substring(4).trim();
      if (line.startsWith("service=")) service = line.substring(8).trim();
    }
    if (sha.equals(current)) return StepOutcome.done("registries.yaml unchanged");
    ctx.upload(node, content, PATH, "0600", true);
    if (service.isEmpty()) return StepOutcome.done("registries.yaml written (k3s not installed yet)");
    ctx.remoteOk(node, "restart " + service + " to load registries.yaml", "systemctl restart " + service + "\n", true);
    return StepOutcome.done("registries.yaml written, " + service + " restarted");
  }

  /** The YAML k3s reads, secrets revealed: it goes into a 0600 file, never on a command line. */
  static String render(Map<String, Object> registries) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(o).dump(reveal(registries));
  }

  private static Object reveal(Object value) {
    if (value instanceof Secret s) return s.reveal();
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), reveal(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(reveal(v)));
      return out;
    }
    return value;
  }
}
