package io.liteboxd.installer.node;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.phase.AgentRemoval;
import io.liteboxd.installer.phase.PhaseContext;
import io.liteboxd.installer.phase.PhaseFailedException;
import io.liteboxd.installer.phase.StepFailure;
import io.liteboxd.installer.phase.StepOutcome;
import io.liteboxd.installer.state.StepStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * `node remove`: for each agent in turn, cordon, drain and delete its node, then uninstall
 * k3s-agent on the machine and forget it in state.json. Stops at the first failure.
 */
public final class NodeRemover {
  public static final String PHASE = "node-remove";

  private NodeRemover() {}

  /** The agents named by host or nodeIP; the master and unknown names are refused. */
  public static List<NodeConfig> resolve(InstallConfig config, List<String> names) {
    List<NodeConfig> out = new ArrayList<>();
    NodeConfig master = config.cluster().master();
    for (String raw : names) {
      String name = raw.trim();
      if (name.isEmpty()) continue;
      if (name.equals(master.host()) || name.equals(master.nodeIP())) {
        throw new IllegalArgumentException(name + " is the master; node remove takes agents only");
      }
      NodeConfig agent = config.cluster().agents().stream()
          .filter(a -> a.host().equals(name) || a.nodeIP().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException(name + " is not an agent of " + config.file()));
      if (!out.contains(agent)) out.add(agent);
    }
    if (out.isEmpty()) throw new IllegalArgumentException("--hosts names no agent");
    return out;
  }

  public static void remove(PhaseContext ctx, List<NodeConfig> agents) throws PhaseFailedException {
    for (NodeConfig agent : agents) {
      ctx.step(PHASE, agent, null, () -> removeOne(ctx, agent));
      // Forget its install steps; keep the record that it was removed.
      var removed = ctx.state().get(PHASE, agent.address());
      ctx.forgetNode(agent.address());
      removed.ifPresent(r -> ctx.record(PHASE, agent.address(), StepStatus.DONE, r.message(), null));
    }
  }

  private static StepOutcome removeOne(PhaseContext ctx, NodeConfig agent) throws StepFailure {
    String what = AgentRemoval.deleteNode(ctx, AgentRemoval.nodes(ctx), agent.nodeIP());
    AgentRemoval.uninstall(ctx, agent);
    return StepOutcome.done(what + ", k3s-agent uninstalled");
  }
}
