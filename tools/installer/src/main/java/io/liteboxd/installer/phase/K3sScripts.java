package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.Cni;
import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.K3sConfig;
import io.liteboxd.installer.config.K3sMirror;
import io.liteboxd.installer.config.K3sSource;
import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.config.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scripts that install k3s, server and agent, online and air-gapped. They travel on standard
 * input, so the agent's K3S_TOKEN never appears on a command line.
 */
final class K3sScripts {
  /** Where the air-gap bundle's install.sh is put on each machine. */
  static final String BUNDLE_DIR = "/var/lib/liteboxd-installer/bundle";

  private K3sScripts() {}

  static String server(InstallConfig config) {
    K3sConfig k3s = config.cluster().k3s();
    NodeConfig master = config.cluster().master();
    List<String> exec = new ArrayList<>(List.of("server", "--node-ip=" + master.nodeIP()));
    for (String san : k3s.tlsSan()) exec.add("--tls-san=" + san);
    if (!k3s.tlsSan().contains(k3s.apiAddress()) && !k3s.apiAddress().equals(master.nodeIP())) {
      exec.add("--tls-san=" + k3s.apiAddress());
    }
    if (config.network().cni() == Cni.CILIUM) {
      // Cilium replaces flannel and k3s's network-policy controller; left on, both would fight it.
      if (k3s.serverArgs().stream().noneMatch(a -> a.startsWith("--flannel-backend"))) {
        exec.add("--flannel-backend=none");
      }
      if (!k3s.serverArgs().contains("--disable-network-policy")) exec.add("--disable-network-policy");
    }
    exec.addAll(k3s.serverArgs());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("INSTALL_K3S_EXEC", String.join(" ", exec));
    return script(k3s, env);
  }

  static String agent(InstallConfig config, NodeConfig agent, Secret token) {
    K3sConfig k3s = config.cluster().k3s();
    List<String> exec = new ArrayList<>(List.of("agent", "--node-ip=" + agent.nodeIP()));
    exec.addAll(k3s.agentArgs());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("K3S_URL", "https://" + hostPort(config.cluster().master().nodeIP()) + ":6443");
    env.put("K3S_TOKEN", token.reveal());
    env.put("INSTALL_K3S_EXEC", String.join(" ", exec));
    return script(k3s, env);
  }

  private static String script(K3sConfig k3s, Map<String, String> extra) {
    Map<String, String> env = new LinkedHashMap<>();
    if (k3s.source() == K3sSource.ONLINE && k3s.mirror() == K3sMirror.CN) env.put("INSTALL_K3S_MIRROR", "cn");
    if (k3s.source() == K3sSource.AIRGAP) env.put("INSTALL_K3S_SKIP_DOWNLOAD", "true");
    env.put("INSTALL_K3S_VERSION", k3s.version());
    env.putAll(extra);
    List<String> assignments = new ArrayList<>();
    env.forEach((k, v) -> assignments.add(k + "=" + Shell.quote(v)));
    String vars = String.join(" ", assignments);
    if (k3s.source() == K3sSource.ONLINE) {
      return "set -eu\ncurl -sfL " + Shell.quote(k3s.scriptUrl()) + " | " + vars + " sh -\n";
    }
    return "set -eu\n" + vars + " sh " + BUNDLE_DIR + "/install.sh\n";
  }

  /** An IPv6 address in a URL needs brackets. */
  static String hostPort(String address) {
    return address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
  }
}
