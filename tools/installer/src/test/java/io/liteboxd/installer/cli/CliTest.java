package io.liteboxd.installer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.installer.phase.Sleeper;
import io.liteboxd.installer.testing.FakeHosts;
import io.liteboxd.installer.testing.FakeLocal;
import io.liteboxd.installer.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final List<String> factoryCalls = new ArrayList<>();
  FakeHosts hosts = new FakeHosts(Fixtures::freshMachine);
  FakeLocal local = new FakeLocal(c -> Fixtures.cluster(c, Fixtures.ips(2)));

  private int run(String... args) {
    Wiring w = new Wiring((known, timeout) -> {
      factoryCalls.add(known.toString());
      return hosts;
    }, kubeconfig -> local, (Sleeper) d -> {}, new PrintStream(out, true), Fixtures.ENV);
    return InstallerCommand.commandLine(w).execute(args);
  }

  private String output() {
    return out.toString();
  }

  @Test
  void dryRunPrintsTheCiliumHelmCommandAndContactsNothing() throws Exception {
    Path config = Fixtures.config(dir, 2, 2);
    Path state = dir.resolve("st/state.json");
    int code = run("-f", config.toString(), "--state", state.toString(), "apply", "--dry-run");
    String o = output();
    assertEquals(0, code, o);
    assertTrue(factoryCalls.isEmpty(), "the SSH factory was used in a dry run");
    assertTrue(hosts.calls().isEmpty());
    assertTrue(local.lines().isEmpty());
    assertTrue(o.contains("$ helm upgrade --install cilium " + dir.resolve("cilium-chart")
        + " --namespace kube-system --version 1.18.6 -f " + dir.resolve("st/cilium-values.yaml")
        + " --wait --timeout 10s"), o);
    assertTrue(o.contains("| k8sServiceHost: 10.0.0.1"), o);
    assertTrue(o.contains("| kubeProxyReplacement: true"), o);
    assertTrue(o.contains("[dry-run] 10.0.0.1:22: install k3s server v1.31.4+k3s1 (online) (as root)"), o);
    assertTrue(o.contains("curl -sfL https://get.k3s.io | INSTALL_K3S_VERSION=v1.31.4+k3s1"), o);
    assertTrue(o.contains("K3S_TOKEN='******'"), o);
    assertTrue(o.contains("$ helm upgrade --install liteboxd"), o);
    assertTrue(o.contains("bytes to /etc/rancher/k3s/registries.yaml (mode 0600, as root)"), o);
    assertTrue(o.contains("|       password: ******"), o);
    assertFalse(o.contains(Fixtures.PASSWORD), o);
    assertFalse(Files.exists(state), "a dry run wrote state");
    assertFalse(Files.exists(dir.resolve("st")), "a dry run wrote files");
  }

  @Test
  void secretsNeverReachConsoleOrLogFile() throws Exception {
    Path config = Fixtures.config(dir, 2, 2);
    Path log = dir.resolve("install.log");
    int code = run("-f", config.toString(), "--state", dir.resolve("st/state.json").toString(),
        "--log-file", log.toString(), "-v", "apply");
    String o = output();
    assertEquals(0, code, o);
    String file = Files.readString(log);
    // The fakes did hand them out: sudo's stderr held the password, the token file the token.
    assertTrue(file.contains("stderr: [sudo] password for admin: ******"), file);
    assertTrue(file.contains("read the k3s node token -> exit 0"), file);
    for (String text : List.of(o, file, Files.readString(dir.resolve("st/state.json")))) {
      assertFalse(text.contains(Fixtures.PASSWORD), "password leaked");
      assertFalse(text.contains(Fixtures.TOKEN), "token leaked");
      assertFalse(text.contains("tok-9f8e7d"), "token leaked");
      assertFalse(text.contains(Fixtures.CLIENT_KEY), "kubeconfig key leaked");
    }
    assertEquals(List.of(dir.resolve("st/known_hosts").toString()), factoryCalls);
    assertTrue(Files.readString(dir.resolve("st/kubeconfig")).contains(Fixtures.CLIENT_KEY));
  }

  @Test
  void aFailedPhaseExitsOneWithARedactedMessage() throws Exception {
    Path config = Fixtures.config(dir, 1, 1);
    hosts = new FakeHosts((h, c) -> c.description().startsWith("install k3s agent")
        ? FakeHosts.fail(1, "join failed with token " + Fixtures.TOKEN)
        : Fixtures.freshMachine(h, c));
    int code = run("-f", config.toString(), "--state", dir.resolve("st/state.json").toString(), "apply");
    String o = output();
    assertEquals(1, code, o);
    assertTrue(o.contains("ERROR: phase agents on 10.0.0.11:22 failed: install k3s agent v1.31.4+k3s1 (online) "
        + "exited 1: join failed with token ******"), o);
    assertFalse(o.contains(Fixtures.TOKEN), o);
    assertFalse(Files.readString(dir.resolve("st/state.json")).contains(Fixtures.TOKEN));
  }

  @Test
  void resumeWithoutStateRefuses() throws Exception {
    Path config = Fixtures.config(dir, 0, 1);
    int code = run("-f", config.toString(), "--state", dir.resolve("none/state.json").toString(), "resume");
    assertEquals(2, code);
    assertTrue(output().contains("no state file at " + dir.resolve("none/state.json") + ": nothing to resume"), output());
    assertTrue(hosts.calls().isEmpty());
  }

  @Test
  void exclusiveModesAreAUsageError() throws Exception {
    Path config = Fixtures.config(dir, 0, 1);
    assertEquals(2, run("-f", config.toString(), "apply", "--cluster-only", "--liteboxd-only"));
    assertTrue(output().contains("mutually exclusive"), output());
  }

  @Test
  void badConfigExitsTwoWithEveryError() throws Exception {
    Path config = Fixtures.config(dir, 1, 1);
    Files.writeString(config, Files.readString(config).replace("parallelism: 1", "parallelism: 0\n  bogus: 1"));
    assertEquals(2, run("-f", config.toString(), "validate"));
    String o = output();
    assertTrue(o.indexOf(":21: runtime") < o.indexOf(":22: runtime"), "errors sorted by line");
    assertTrue(o.contains(config + ":21: runtime.parallelism: must be 1-64"), o);
    assertTrue(o.contains(config + ":22: runtime.bogus: unknown key;"), o);
  }

  @Test
  void validateAcceptsAGoodConfig() throws Exception {
    Path config = Fixtures.config(dir, 2, 1);
    assertEquals(0, run("-f", config.toString(), "validate"));
    assertTrue(output().contains("valid (cluster t, 1 master, 2 agents)"), output());
  }

  @Test
  void nodeRemoveRefusesTheMaster() throws Exception {
    Path config = Fixtures.config(dir, 1, 1);
    assertEquals(2, run("-f", config.toString(), "--state", dir.resolve("st/state.json").toString(),
        "node", "remove", "--hosts", "10.0.0.11,10.0.0.1"));
    assertTrue(output().contains("10.0.0.1 is the master"), output());
    assertTrue(hosts.calls().isEmpty());
    assertTrue(local.lines().isEmpty());
  }

  @Test
  void nodeRemoveDrainsDeletesUninstallsAndForgets() throws Exception {
    Path config = Fixtures.config(dir, 2, 1);
    String state = dir.resolve("st/state.json").toString();
    assertEquals(0, run("-f", config.toString(), "--state", state, "apply"));
    hosts = new FakeHosts(Fixtures::freshMachine);
    local = new FakeLocal(c -> Fixtures.cluster(c, Fixtures.ips(2)));
    assertEquals(0, run("-f", config.toString(), "--state", state, "node", "remove", "--hosts", "10.0.0.12"), output());
    assertEquals(List.of("kubectl get nodes -o json", "kubectl cordon node-10-0-0-12",
        "kubectl drain node-10-0-0-12 --ignore-daemonsets --delete-emptydir-data --timeout=300s",
        "kubectl delete node node-10-0-0-12 --ignore-not-found"), local.lines());
    assertEquals(List.of("10.0.0.12:22 uninstall k3s-agent"), hosts.descriptions());
    String json = Files.readString(Path.of(state));
    assertTrue(json.contains("\"node-remove\""), json);
    assertEquals(1, json.split("10.0.0.12:22", -1).length - 1, json);
  }
}
