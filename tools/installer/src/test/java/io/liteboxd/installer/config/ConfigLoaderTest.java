package io.liteboxd.installer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;
  private final Map<String, String> env = Map.of("MASTER_PASSWORD", "s3cret-master", "AGENT_PW", "agent-pw");

  @BeforeEach
  void layout() throws IOException {
    Files.createDirectories(dir.resolve("chart"));
    Files.createDirectories(dir.resolve("values.d"));
    Files.createDirectories(dir.resolve("cilium"));
  }

  static final String GOOD = """
      cluster:
        name: test
        master: {host: 10.0.0.1, password: "${MASTER_PASSWORD}"}
        agents:
          - {host: 10.0.0.2, port: 2222, user: ubuntu, password: "${AGENT_PW}", sudo: true, nodeIP: 192.168.0.2}
        k3s:
          version: v1.31.4+k3s1
          mirror: cn
          tlsSan: [k3s.example.com]
        registries:
          mirrors:
            docker.io: {endpoint: ["https://mirror.example.com"]}
          configs:
            mirror.example.com: {auth: {username: u, password: "${AGENT_PW}"}}
      network:
        cni: cilium
        cilium: {chart: ./cilium, version: 1.18.6, values: {kubeProxyReplacement: true}}
      liteboxd:
        chart: ./chart
        configDir: ./values.d
        images: {registry: reg.example.com/lbx, tag: "1.10"}
      runtime:
        parallelism: 2
      """;

  private Path write(String yaml) throws IOException {
    Path f = dir.resolve("install.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  private InstallConfig load(String yaml) throws Exception {
    return new ConfigLoader(env).load(write(yaml), false);
  }

  private List<String> errors(String yaml, boolean clusterOnly) throws IOException {
    Path f = write(yaml);
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(env).load(f, clusterOnly));
    return e.errors().stream().map(ConfigError::toString).toList();
  }

  @Test
  void goodConfigParses() throws Exception {
    InstallConfig c = load(GOOD);
    assertEquals("test", c.cluster().name());
    assertEquals("s3cret-master", c.cluster().master().password().reveal());
    assertEquals("10.0.0.1", c.cluster().master().nodeIP());
    assertEquals(22, c.cluster().master().port());
    assertEquals("root", c.cluster().master().user());
    NodeConfig agent = c.cluster().agents().get(0);
    assertEquals(2222, agent.port());
    assertTrue(agent.sudo());
    assertEquals("AGENT_PW", agent.passwordEnv()); // its name may be kept in state.json, the value never
    assertEquals("192.168.0.2", agent.nodeIP());
    assertEquals(K3sMirror.CN, c.cluster().k3s().mirror());
    assertEquals(K3sMirror.CN.defaultScriptUrl(), c.cluster().k3s().scriptUrl());
    assertEquals("10.0.0.1", c.cluster().k3s().apiAddress());
    assertEquals(Cni.CILIUM, c.network().cni());
    assertEquals(true, c.network().cilium().values().get("kubeProxyReplacement"));
    assertEquals("kube-system", c.network().cilium().namespace());
    assertEquals("1.10", c.liteboxd().imageTag());
    assertEquals(dir.resolve("chart"), c.liteboxd().chart());
    assertEquals(2, c.runtime().parallelism());
    assertEquals(300, c.runtime().readyTimeoutSeconds());
    @SuppressWarnings("unchecked")
    var auth = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) c.cluster().registries()
        .get("configs")).get("mirror.example.com")).get("auth");
    assertEquals(Secret.of("agent-pw"), auth.get("password"));
  }

  @Test
  void secretsAreMaskedInToString() throws Exception {
    String text = load(GOOD).toString();
    assertFalse(text.contains("s3cret-master"), text);
    assertFalse(text.contains("agent-pw"), text);
    assertTrue(text.contains("******"));
  }

  @Test
  void badPortNamesFileLineAndPath() throws IOException {
    String yaml = GOOD.replace("port: 2222", "port: 70000");
    List<String> errs = errors(yaml, false);
    assertEquals(List.of(dir.resolve("install.yaml") + ":5: cluster.agents[0].port: must be 1-65535"), errs);
  }

  @Test
  void unknownKeyListsAllowed() throws IOException {
    List<String> errs = errors(GOOD.replace("  name: test\n", "  name: test\n  nmae: x\n"), false);
    assertEquals(1, errs.size());
    assertTrue(errs.get(0).endsWith(":3: cluster.nmae: unknown key; allowed: agents, k3s, master, name, registries"),
        errs.get(0));
  }

  @Test
  void badEnumSaysTheChoices() throws IOException {
    List<String> errs = errors(GOOD.replace("cni: cilium", "cni: calico"), false);
    assertEquals(1, errs.size());
    assertTrue(errs.get(0).endsWith(":16: network.cni: must be one of cilium, none (got 'calico')"), errs.get(0));
  }

  @Test
  void requiredFieldMissing() throws IOException {
    List<String> errs = errors(GOOD.replace("    version: v1.31.4+k3s1\n", ""), false);
    assertEquals(1, errs.size());
    assertTrue(errs.get(0).contains(": cluster.k3s.version: is required"), errs.get(0));
  }

  @Test
  void duplicateHostAndNodeIp() throws IOException {
    String yaml = GOOD.replace("nodeIP: 192.168.0.2}", "nodeIP: 192.168.0.2}\n    - {host: 10.0.0.1, password: x}\n"
        + "    - {host: 10.0.0.9, password: x, nodeIP: 192.168.0.2}");
    List<String> errs = errors(yaml, false);
    assertEquals(2, errs.size(), errs.toString());
    assertTrue(errs.get(0).contains("cluster.agents[1].host: duplicate machine 10.0.0.1:22 (also cluster.master)"), errs.get(0));
    assertTrue(errs.get(1).contains("cluster.agents[2].nodeIP: duplicate nodeIP 192.168.0.2 (also cluster.agents[0])"),
        errs.get(1));
  }

  @Test
  void machinesSharingAHostNeedDistinctPortsAndNodeIps() throws Exception {
    String shared = GOOD.replace("nodeIP: 192.168.0.2}", "nodeIP: 192.168.0.2}\n    - {host: 10.0.0.1, port: 2223, password: x}");
    List<String> errs = errors(shared, false);
    assertEquals(1, errs.size(), errs.toString());
    assertTrue(errs.get(0).endsWith(":6: cluster.agents[1].host: duplicate nodeIP 10.0.0.1 (also cluster.master)"
        + "; machines sharing a host need distinct nodeIP"), errs.get(0));
    InstallConfig ok = load(shared.replace("port: 2223, password: x}", "port: 2223, password: x, nodeIP: 172.17.0.3}"));
    assertEquals(2, ok.cluster().agents().size());
    assertNull(ok.cluster().agents().get(1).passwordEnv()); // written in the file: nothing to keep
  }

  @Test
  void missingEnvVariableNamesIt() throws IOException {
    List<String> errs = errors(GOOD.replace("${AGENT_PW}\", sudo", "${NOPE_PW}\", sudo"), false);
    assertEquals(1, errs.size(), errs.toString());
    assertTrue(errs.get(0).endsWith(":5: cluster.agents[0].password: environment variable NOPE_PW is not set"),
        errs.get(0));
  }

  @Test
  void envExpandsInsideMaps() throws Exception {
    InstallConfig c = new ConfigLoader(Map.of("MASTER_PASSWORD", "p", "AGENT_PW", "a", "HOSTN", "kpr"))
        .load(write(GOOD.replace("kubeProxyReplacement: true", "name: \"${HOSTN}\"")), false);
    assertEquals("kpr", c.network().cilium().values().get("name"));
  }

  @Test
  void allErrorsReportedTogether() throws IOException {
    String yaml = GOOD.replace("port: 2222", "port: 0")
        .replace("cni: cilium", "cni: weave")
        .replace("parallelism: 2", "parallelism: lots")
        .replace("configDir: ./values.d", "configDir: ./nowhere")
        .replace("chart: ./chart", "chart: ./nochart");
    List<String> errs = errors(yaml, false);
    assertEquals(5, errs.size(), String.join("\n", errs));
  }

  @Test
  void clusterOnlyNeedsNoChartOrConfigDir() throws Exception {
    String yaml = GOOD.replace("  chart: ./chart\n  configDir: ./values.d\n", "");
    assertEquals(2, errors(yaml, false).size());
    InstallConfig c = new ConfigLoader(env).load(write(yaml), true);
    assertEquals(null, c.liteboxd().chart());
  }

  @Test
  void airgapBundleMustHoldInstallShAndK3s() throws IOException {
    Files.createDirectories(dir.resolve("bundle"));
    Files.writeString(dir.resolve("bundle/install.sh"), "#!/bin/sh\n");
    String yaml = GOOD.replace("    mirror: cn\n", "    source: airgap\n    airgapBundle: ./bundle\n");
    List<String> errs = errors(yaml, false);
    assertEquals(1, errs.size(), errs.toString());
    assertTrue(errs.get(0).contains("cluster.k3s.airgapBundle: " + dir.resolve("bundle") + " has no file k3s"), errs.get(0));
  }

  @Test
  void badYamlIsOneErrorWithLine() throws IOException {
    List<String> errs = errors("cluster:\n  name: [oops\n", false);
    assertEquals(1, errs.size());
    assertTrue(errs.get(0).contains("not valid YAML"), errs.get(0));
  }

  @Test
  void theExampleValidatesWithItsChartAndConfigDirRequirementsLifted() throws Exception {
    Path example = Path.of("examples/install.example.yaml");
    Path copy = dir.resolve("install.yaml");
    Files.writeString(copy, Files.readString(example)
        .replace("./charts/cilium-1.18.6.tgz", "./cilium").replace("../../charts/liteboxd", "./chart"));
    InstallConfig c = new ConfigLoader(Map.of("MASTER_PASSWORD", "m", "AGENT_PASSWORD", "a")).load(copy, false);
    assertEquals(2, c.cluster().agents().size());
    assertEquals("ghcr.io/liteboxd", c.liteboxd().imageRegistry());
  }
}
