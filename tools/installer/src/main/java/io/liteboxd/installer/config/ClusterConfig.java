package io.liteboxd.installer.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The machines and k3s. {@code registries} is the content of k3s's registries.yaml as written,
 * with passwords and tokens as {@link Secret}s (empty map: no registries.yaml is managed).
 */
public record ClusterConfig(
    String name, NodeConfig master, List<NodeConfig> agents, K3sConfig k3s, Map<String, Object> registries) {

  /** The master first, then the agents in file order. */
  public List<NodeConfig> allNodes() {
    List<NodeConfig> all = new ArrayList<>();
    all.add(master);
    all.addAll(agents);
    return all;
  }
}
