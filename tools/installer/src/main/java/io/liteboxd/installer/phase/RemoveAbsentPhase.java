package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.kube.Kubectl;
import io.liteboxd.installer.kube.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * With runtime.removeAbsentAgents: nodes whose InternalIP is neither the master's nor an agent's
 * are drained and deleted from the cluster, one at a time, stopping at the first failure. (Their
 * machines are not touched: they are not in the configuration, so there is no way in.)
 */
public final class RemoveAbsentPhase implements Phase {
  public static final String NAME = "remove-absent";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String fingerprint(InstallConfig config) {
    return null;
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    InstallConfig c = ctx.config();
    if (!c.runtime().removeAbsentAgents()) return StepOutcome.skipped("runtime.removeAbsentAgents is false");
    Set<String> known = c.cluster().allNodes().stream().map(NodeConfig::nodeIP).collect(Collectors.toSet());
    List<String> removed = new ArrayList<>();
    String current = null;
    try {
      List<NodeStatus> nodes = NodeProbe.parse(ctx.localOk(Kubectl.getNodes()).stdout());
      for (NodeStatus n : nodes) {
        if (known.contains(n.internalIP())) continue;
        current = n.name();
        ctx.log().info("  removing node " + n.name() + " (" + n.internalIP() + "): not in the configuration");
        NodeDrain.remove(ctx, n.name());
        removed.add(n.name());
      }
    } catch (StepFailure e) {
      throw new PhaseFailedException(NAME, current, ctx.log().redactor().redact(e.getMessage()));
    }
    return StepOutcome.done(removed.isEmpty() ? "no absent nodes" : "removed " + String.join(", ", removed));
  }
}
