package io.liteboxd.installer.phase;

import io.liteboxd.installer.kube.NodeStatus;
import io.liteboxd.installer.kube.NodeStatusParser;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Finds a configured machine among the cluster's nodes: by InternalIP, which is its nodeIP. */
final class NodeProbe {
  private NodeProbe() {}

  /** The nodes in `get nodes -o json` output; empty output (a dry run) is no nodes. */
  static List<NodeStatus> parse(String json) throws StepFailure {
    if (json.isBlank()) return List.of();
    try {
      return NodeStatusParser.parse(json);
    } catch (IOException e) {
      throw new StepFailure("cannot read the node list: " + e.getMessage(), e);
    }
  }

  static Optional<NodeStatus> byIp(List<NodeStatus> nodes, String ip) {
    return nodes.stream().filter(n -> n.internalIP().equals(ip)).findFirst();
  }

  static boolean readyAt(List<NodeStatus> nodes, String ip) {
    return byIp(nodes, ip).map(NodeStatus::ready).orElse(false);
  }
}
