package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.kube.Kubectl;
import io.liteboxd.installer.kube.NodeStatus;
import io.liteboxd.installer.remote.RemoteException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Takes an agent out of the cluster, for `node remove` and removeAbsentAgents alike: its node
 * (found by InternalIP) is cordoned, drained (DaemonSets stay, emptyDir data goes) and deleted,
 * then k3s-agent's own uninstall script runs on the machine.
 */
public final class AgentRemoval {
  static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);
  private static final String UNINSTALL =
      "if [ -x /usr/local/bin/k3s-agent-uninstall.sh ]; then /usr/local/bin/k3s-agent-uninstall.sh; fi\n";

  private AgentRemoval() {}

  /** The cluster's nodes now (none in a dry run, where kubectl answers nothing). */
  public static List<NodeStatus> nodes(PhaseContext ctx) throws StepFailure {
    return NodeProbe.parse(ctx.localOk(Kubectl.getNodes()).stdout());
  }

  /** Cordons, drains and deletes the node at {@code nodeIP} among {@code nodes}, if any; says what it did. */
  public static String deleteNode(PhaseContext ctx, List<NodeStatus> nodes, String nodeIP) throws StepFailure {
    Optional<NodeStatus> node = NodeProbe.byIp(nodes, nodeIP);
    if (node.isEmpty()) return "no node with InternalIP " + nodeIP;
    String name = node.get().name();
    ctx.localOk(Kubectl.cordon(name));
    ctx.localOk(Kubectl.drain(name, DRAIN_TIMEOUT));
    ctx.localOk(Kubectl.deleteNode(name));
    return "node " + name + " deleted";
  }

  /** Runs k3s-agent's uninstall script on the machine (nothing when it is not installed). */
  public static void uninstall(PhaseContext ctx, NodeConfig machine) throws StepFailure {
    ctx.remoteOk(machine, "uninstall k3s-agent", UNINSTALL, true);
  }

  /** Whether a step failed because no connection to its machine could be made (not: a refused password, a failed command). */
  public static boolean unreachable(StepFailure failure) {
    return failure.getCause() instanceof RemoteException e && e.kind() == RemoteException.Kind.UNREACHABLE;
  }
}
