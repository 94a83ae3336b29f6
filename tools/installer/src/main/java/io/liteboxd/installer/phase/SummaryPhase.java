package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.kube.Kubectl;
import io.liteboxd.installer.kube.NodeStatus;
import java.util.List;

/** Prints what was installed and how to reach it; never a secret (the kubeconfig is named, not shown). */
public final class SummaryPhase implements Phase {
  public static final String NAME = "summary";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    InstallConfig c = ctx.config();
    StringBuilder sb = new StringBuilder("\nCluster " + c.cluster().name() + " (k3s " + c.cluster().k3s().version()
        + ", cni " + c.network().cni().name().toLowerCase() + ")\n");
    try {
      List<NodeStatus> nodes = NodeProbe.parse(ctx.local(Kubectl.getNodes()).stdout());
      for (NodeStatus n : nodes) {
        sb.append(String.format("  %-30s %-16s %-9s %s%n", n.name(), n.internalIP(),
            n.ready() ? "Ready" : "NotReady", n.kubeletVersion()));
      }
    } catch (StepFailure e) {
      sb.append("  (cannot list the nodes: ").append(e.getMessage()).append(")\n");
    }
    String kc = ctx.kubeconfig().toString();
    sb.append("Kubeconfig: ").append(kc).append("\n");
    sb.append("  export KUBECONFIG=").append(kc).append("\n");
    if (ctx.mode() != RunMode.CLUSTER_ONLY) {
      String ns = c.liteboxd().namespaceSystem();
      sb.append("LiteBoxd: helm release ").append(c.liteboxd().release()).append(" in ").append(ns).append("\n");
      sb.append("  kubectl -n ").append(ns).append(" get ingress,svc,pods\n");
      sb.append("  The Ingress serves the API and console at http://")
          .append(K3sScripts.hostPort(c.cluster().k3s().apiAddress()))
          .append("/ (or its ingress.host) when an ingress controller runs.\n");
    }
    ctx.log().info(sb.toString());
    return StepOutcome.done("printed");
  }
}
