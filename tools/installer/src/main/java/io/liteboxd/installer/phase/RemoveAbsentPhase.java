package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.config.Secret;
import io.liteboxd.installer.kube.NodeStatus;
import io.liteboxd.installer.state.JoinedAgent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * With runtime.removeAbsentAgents: agents this installer joined (state.json's joinedAgents) that
 * are no longer in the configuration are taken out one at a time, stopping at the first failure:
 * node cordoned, drained and deleted, k3s-agent uninstalled on the machine, the agent forgotten.
 * Nodes the installer did not join (added by hand, or by another tool) are left alone and named
 * in the log: deleting whatever is not in the list would take down nodes this file never
 * described.
 *
 * <p>The machine is reached with what state.json kept (host, port, user, sudo) and the password
 * from the environment variable the file named when the agent joined; a password written in the
 * file itself is not kept, and then the machine is not contacted (the run says so). A machine that
 * cannot be reached at all is taken as gone: its node is deleted and the run says k3s-agent was
 * not uninstalled there.
 */
public final class RemoveAbsentPhase implements Phase {
  public static final String NAME = "remove-absent";

  private final Function<String, String> env;

  public RemoveAbsentPhase() {
    this(System::getenv);
  }

  public RemoveAbsentPhase(Function<String, String> env) {
    this.env = env;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    InstallConfig c = ctx.config();
    if (!c.runtime().removeAbsentAgents()) return StepOutcome.skipped("runtime.removeAbsentAgents is false");
    List<NodeConfig> configured = c.cluster().allNodes();
    Set<String> addresses = configured.stream().map(NodeConfig::address).collect(Collectors.toSet());
    Set<String> nodeIPs = configured.stream().map(NodeConfig::nodeIP).collect(Collectors.toSet());
    List<JoinedAgent> joined = List.copyOf(ctx.state().joinedAgents().values());
    List<String> removed = new ArrayList<>();
    String current = null;
    try {
      List<NodeStatus> nodes = AgentRemoval.nodes(ctx);
      for (JoinedAgent agent : joined) {
        if (addresses.contains(agent.address()) || nodeIPs.contains(agent.nodeIP())) continue;
        current = agent.address();
        ctx.log().info("  " + current + ": joined by this installer, no longer in the configuration");
        String what = AgentRemoval.deleteNode(ctx, nodes, agent.nodeIP()) + ", " + uninstall(ctx, agent);
        ctx.forgetNode(current);
        ctx.log().info("  " + current + ": " + what);
        removed.add(current);
      }
      Set<String> ours = joined.stream().map(JoinedAgent::nodeIP).collect(Collectors.toSet());
      List<String> others = nodes.stream()
          .filter(n -> !nodeIPs.contains(n.internalIP()) && !ours.contains(n.internalIP()))
          .map(n -> n.name() + " (" + n.internalIP() + ")")
          .toList();
      if (!others.isEmpty()) {
        ctx.log().info("  left alone, not joined by this installer: " + String.join(", ", others));
      }
    } catch (StepFailure e) {
      throw new PhaseFailedException(NAME, current, ctx.log().redactor().redact(e.getMessage()));
    }
    return StepOutcome.done(removed.isEmpty() ? "no absent agents" : "removed " + String.join(", ", removed));
  }

  /** Uninstalls k3s-agent on the machine when it can be reached; says what happened. */
  private String uninstall(PhaseContext ctx, JoinedAgent agent) throws StepFailure {
    String password = agent.passwordEnv() == null ? null : env.apply(agent.passwordEnv());
    if (password == null || password.isEmpty()) {
      return "k3s-agent not uninstalled on the machine: " + (agent.passwordEnv() == null
          ? "its password was written in the configuration, and is not kept"
          : "$" + agent.passwordEnv() + " is not set");
    }
    Secret secret = Secret.of(password);
    ctx.log().redactor().add(secret);
    NodeConfig machine = new NodeConfig(agent.host(), agent.port(), agent.user(), secret, agent.sudo(),
        agent.nodeIP(), agent.passwordEnv());
    try {
      AgentRemoval.uninstall(ctx, machine);
      return "k3s-agent uninstalled";
    } catch (StepFailure e) {
      if (!AgentRemoval.unreachable(e)) throw e;
      return "k3s-agent not uninstalled: the machine cannot be reached (" + e.getMessage() + ")";
    }
  }
}
