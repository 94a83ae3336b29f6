package io.liteboxd.installer.phase;

import io.liteboxd.installer.kube.Kubectl;
import java.time.Duration;

/** Takes a node out of the cluster: cordon, drain (DaemonSets stay, emptyDir data goes), delete. */
public final class NodeDrain {
  static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

  private NodeDrain() {}

  public static void remove(PhaseContext ctx, String nodeName) throws StepFailure {
    ctx.localOk(Kubectl.cordon(nodeName));
    ctx.localOk(Kubectl.drain(nodeName, DRAIN_TIMEOUT));
    ctx.localOk(Kubectl.deleteNode(nodeName));
  }
}
