package io.liteboxd.installer.testing;

import io.liteboxd.installer.local.LocalCommand;
import io.liteboxd.installer.remote.CommandResult;
import io.liteboxd.installer.remote.HostAccess;
import io.liteboxd.installer.remote.RemoteCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small install.yaml, a fresh-machine responder, and `kubectl get nodes -o json` output. */
public final class Fixtures {
  public static final String PASSWORD = "Pa55-word-XYZ";
  public static final String TOKEN = "K10deadbeef::server:tok-9f8e7d";
  public static final String CLIENT_KEY = "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t";
  public static final Map<String, String> ENV = Map.of("PW", PASSWORD);

  private Fixtures() {}

  /** install.yaml with a master (10.0.0.1) and {@code agents} agents (10.0.0.11, ...). */
  public static Path config(Path dir, int agents, int parallelism) throws IOException {
    Files.createDirectories(dir.resolve("chart"));
    Files.createDirectories(dir.resolve("cilium-chart"));
    Files.createDirectories(dir.resolve("values.d"));
    Files.writeString(dir.resolve("values.d/10-base.yaml"), "logLevel: INFO\n");
    Files.writeString(dir.resolve("values.d/20-site.yml"), "logLevel: DEBUG\n");
    StringBuilder a = new StringBuilder();
    for (int i = 1; i <= agents; i++) {
      a.append("    - {host: 10.0.0.").append(10 + i).append(", password: \"${PW}\"}\n");
    }
    String yaml = """
        cluster:
          name: t
          master: {host: 10.0.0.1, user: admin, sudo: true, password: "${PW}"}
          agents:
        %s  k3s:
            version: v1.31.4+k3s1
          registries:
            mirrors:
              docker.io: {endpoint: ["https://mirror.example.com"]}
            configs:
              mirror.example.com: {auth: {username: bot, password: "${PW}"}}
        network:
          cni: cilium
          cilium: {chart: ./cilium-chart, version: 1.18.6, values: {kubeProxyReplacement: true}}
        liteboxd:
          chart: ./chart
          configDir: ./values.d
          images: {tag: "1.10"}
        runtime:
          parallelism: %d
          readyTimeoutSeconds: 10
        """.formatted(agents == 0 ? "    []\n" : a.toString(), parallelism);
    if (agents == 0) yaml = yaml.replace("  agents:\n    []\n", "  agents: []\n");
    Path f = dir.resolve("install.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  /** Machines with nothing installed yet; the sudo check leaks the password on stderr, as sudo can. */
  public static CommandResult freshMachine(HostAccess host, RemoteCommand c) {
    String d = c.description();
    if (d.startsWith("check the machine")) return FakeHosts.ok("arch=x86_64\nuid=" + (host.user().equals("root") ? 0 : 1000) + "\nfreekib=50000000\n");
    if (d.startsWith("check that sudo works")) {
      return new CommandResult(0, "0\n", "[sudo] password for admin: " + host.password().reveal(), java.time.Duration.ZERO);
    }
    if (d.startsWith("read the k3s node token")) return FakeHosts.ok(TOKEN + "\n");
    if (d.startsWith("read the k3s kubeconfig")) {
      return FakeHosts.ok("apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n  name: default\n"
          + "users:\n- name: default\n  user:\n    client-key-data: " + CLIENT_KEY + "\n");
    }
    return FakeHosts.ok("");
  }

  /** kubectl answers: every listed node Ready; helm succeeds. */
  public static CommandResult cluster(LocalCommand c, List<String> readyIps) {
    if (c.argv().contains("nodes") && c.argv().contains("json")) return FakeHosts.ok(nodesJson(readyIps, List.of()));
    return FakeHosts.ok("");
  }

  public static List<String> ips(int agents) {
    List<String> ips = new ArrayList<>(List.of("10.0.0.1"));
    for (int i = 1; i <= agents; i++) ips.add("10.0.0." + (10 + i));
    return ips;
  }

  /** Real `kubectl get nodes -o json` shape (trimmed): Ready nodes, then NotReady ones. */
  public static String nodesJson(List<String> ready, List<String> notReady) {
    List<String> items = new ArrayList<>();
    for (String ip : ready) items.add(node(ip, true));
    for (String ip : notReady) items.add(node(ip, false));
    return """
        {
            "apiVersion": "v1",
            "items": [%s],
            "kind": "List",
            "metadata": {"resourceVersion": ""}
        }
        """.formatted(String.join(",\n", items));
  }

  private static String node(String ip, boolean ready) {
    String name = "node-" + ip.replace('.', '-');
    String condition = ready
        ? """
          {"lastHeartbeatTime": "2026-12-01T10:00:00Z", "lastTransitionTime": "2026-12-01T09:00:00Z",
           "message": "kubelet is posting ready status", "reason": "KubeletReady", "status": "True", "type": "Ready"}"""
        : """
          {"lastHeartbeatTime": "2026-12-01T10:00:00Z", "lastTransitionTime": "2026-12-01T09:00:00Z",
           "message": "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
           "reason": "KubeletNotReady", "status": "False", "type": "Ready"}""";
    return """
        {
          "apiVersion": "v1", "kind": "Node",
          "metadata": {"labels": {"kubernetes.io/hostname": "%s", "node-role.kubernetes.io/control-plane": "true"},
                       "name": "%s"},
          "spec": {"podCIDR": "10.42.0.0/24", "providerID": "k3s://%s"},
          "status": {
            "addresses": [{"address": "%s", "type": "InternalIP"}, {"address": "%s", "type": "Hostname"}],
            "conditions": [
              {"lastHeartbeatTime": "2026-12-01T10:00:00Z", "lastTransitionTime": "2026-12-01T09:00:00Z",
               "message": "kubelet has sufficient memory available", "reason": "KubeletHasSufficientMemory",
               "status": "False", "type": "MemoryPressure"},
              %s
            ],
            "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "containerd://1.7.23-k3s2",
                         "kubeletVersion": "v1.31.4+k3s1", "osImage": "Ubuntu 24.04.1 LTS"}
          }
        }""".formatted(name, name, name, ip, name, condition);
  }
}
