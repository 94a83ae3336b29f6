package io.liteboxd.installer.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.installer.config.ConfigLoader;
import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.Secret;
import io.liteboxd.installer.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class K3sScriptsTest {
  @TempDir Path dir;

  private InstallConfig config(String k3sExtra, String cni) throws Exception {
    Path f = Fixtures.config(dir, 1, 1);
    String yaml = Files.readString(f).replace("    version: v1.31.4+k3s1\n", "    version: v1.31.4+k3s1\n" + k3sExtra);
    if (cni.equals("none")) {
      yaml = yaml.replace("  cni: cilium\n  cilium: {chart: ./cilium-chart, version: 1.18.6, values: {kubeProxyReplacement: true}}\n",
          "  cni: none\n");
    }
    Files.writeString(f, yaml);
    return new ConfigLoader(Fixtures.ENV).load(f, false);
  }

  @Test
  void cnMirrorUsesTheCnScriptAndVariable() throws Exception {
    InstallConfig c = config("    mirror: cn\n    tlsSan: [k3s.example.com]\n    serverArgs: [--disable=traefik]\n"
        + "    apiAddress: 192.168.9.9\n", "none");
    String s = K3sScripts.server(c);
    assertEquals("set -eu\ncurl -sfL https://rancher-mirror.rancher.cn/k3s/k3s-install.sh | INSTALL_K3S_MIRROR=cn "
        + "INSTALL_K3S_VERSION=v1.31.4+k3s1 INSTALL_K3S_EXEC='server --node-ip=10.0.0.1 --tls-san=k3s.example.com "
        + "--tls-san=192.168.9.9 --disable=traefik' sh -\n", s);
  }

  @Test
  void ciliumTurnsFlannelOffUnlessTheUserChoseABackend() throws Exception {
    assertTrue(K3sScripts.server(config("", "cilium")).contains("--flannel-backend=none --disable-network-policy"));
    String own = K3sScripts.server(config("    serverArgs: [--flannel-backend=host-gw]\n", "cilium"));
    assertTrue(own.contains("--disable-network-policy --flannel-backend=host-gw'"), own);
  }

  @Test
  void airgapAgentRunsTheBundleScriptWithTheToken() throws Exception {
    Files.createDirectories(dir.resolve("bundle"));
    Files.writeString(dir.resolve("bundle/install.sh"), "#!/bin/sh\n");
    Files.writeString(dir.resolve("bundle/k3s"), "binary");
    InstallConfig c = config("    source: airgap\n    airgapBundle: ./bundle\n    agentArgs: [--node-label=x=y]\n", "none");
    String s = K3sScripts.agent(c, c.cluster().agents().get(0), Secret.of("tok'en"));
    assertEquals("set -eu\nINSTALL_K3S_SKIP_DOWNLOAD=true INSTALL_K3S_VERSION=v1.31.4+k3s1 "
        + "K3S_URL=https://10.0.0.1:6443 K3S_TOKEN='tok'\\''en' "
        + "INSTALL_K3S_EXEC='agent --node-ip=10.0.0.11 --node-label=x=y' sh /var/lib/liteboxd-installer/bundle/install.sh\n", s);
  }

  @Test
  void ipv6InUrlsGetsBrackets() {
    assertEquals("[fd00::1]", K3sScripts.hostPort("fd00::1"));
    assertEquals("10.0.0.1", K3sScripts.hostPort("10.0.0.1"));
    assertEquals("apiVersion: v1\n    server: https://[fd00::1]:6443\n",
        ClusterAccessPhase.rewriteServer("apiVersion: v1\n    server: https://127.0.0.1:6443\n", "fd00::1"));
  }
}
