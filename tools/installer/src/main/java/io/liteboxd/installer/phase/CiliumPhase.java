package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.CiliumConfig;
import io.liteboxd.installer.config.Cni;
import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.local.LocalCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Installs Cilium from a local chart with helm, before the agents join (their pods need a network).
 * Cilium must reach the API server directly (k8sServiceHost/Port: there is no kube-proxy path yet
 * when it starts); the user's inline values may override that, e.g. for a load balancer.
 */
public final class CiliumPhase implements Phase {
  public static final String NAME = "cilium";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String fingerprint(InstallConfig config) {
    return Fingerprint.of(config.network(), config.cluster().k3s().apiAddress());
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    InstallConfig c = ctx.config();
    if (c.network().cni() == Cni.NONE) return StepOutcome.skipped("cni: none (the cluster's own network)");
    CiliumConfig cilium = c.network().cilium();
    String values = values(cilium, c.cluster().k3s().apiAddress());
    Path valuesFile = ctx.stateDir().resolve("cilium-values.yaml");
    try {
      if (ctx.dryRun()) {
        ctx.log().info("[dry-run] local: would write " + valuesFile + ":\n    | "
            + values.strip().replace("\n", "\n    | "));
      } else {
        ClusterAccessPhase.writePrivate(valuesFile, values);
      }
      LocalCommand helm = Helm.cilium(cilium, valuesFile, Duration.ofSeconds(c.runtime().readyTimeoutSeconds()));
      ctx.localOk(helm);
    } catch (StepFailure e) {
      throw new PhaseFailedException(NAME, "local", ctx.log().redactor().redact(e.getMessage()));
    }
    return StepOutcome.done("cilium " + (cilium.version().isEmpty() ? "" : cilium.version() + " ") + "installed");
  }

  static String values(CiliumConfig cilium, String apiAddress) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("k8sServiceHost", apiAddress);
    v.put("k8sServicePort", 6443);
    v.putAll(cilium.values());
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(o).dump(v);
  }
}
