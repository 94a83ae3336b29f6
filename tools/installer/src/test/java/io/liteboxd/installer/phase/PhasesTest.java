package io.liteboxd.installer.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.installer.config.ConfigLoader;
import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.log.InstallLog;
import io.liteboxd.installer.log.Redactor;
import io.liteboxd.installer.remote.RemoteException;
import io.liteboxd.installer.state.InstallState;
import io.liteboxd.installer.state.JoinedAgent;
import io.liteboxd.installer.state.StateStore;
import io.liteboxd.installer.state.StepRecord;
import io.liteboxd.installer.state.StepStatus;
import io.liteboxd.installer.testing.FakeHosts;
import io.liteboxd.installer.testing.FakeLocal;
import io.liteboxd.installer.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single phases against in-memory machines: what each checks before it acts. */
class PhasesTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  private PhaseContext context(InstallConfig config, FakeHosts hosts, FakeLocal local, RunMode mode) throws Exception {
    InstallLog log = new InstallLog(new Redactor(), new PrintStream(output, true), null, false);
    return new PhaseContext(config, log, new InstallState("t", "fp"), new StateStore(dir.resolve("st/state.json")),
        new HostPool(hosts), local, dir.resolve("st"), mode, false, false, d -> {});
  }

  private InstallConfig config(int agents) throws Exception {
    return new ConfigLoader(Fixtures.ENV).load(Fixtures.config(dir, agents, 1), false);
  }

  @Test
  void registriesUnchangedIsNotWrittenNorRestarted() throws Exception {
    InstallConfig c = config(0);
    String sha = Fingerprint.sha256(RegistriesPhase.render(c.cluster().registries()).getBytes(StandardCharsets.UTF_8));
    FakeHosts hosts = new FakeHosts((h, cmd) -> FakeHosts.ok("sha=" + sha + "\nservice=k3s\n"));
    new RegistriesPhase().run(context(c, hosts, new FakeLocal(x -> FakeHosts.ok("")), RunMode.FULL));
    assertTrue(hosts.uploads().isEmpty());
    assertEquals(List.of("10.0.0.1:22 read the current registries.yaml checksum"), hosts.descriptions());
  }

  @Test
  void registriesChangedOnAnInstalledNodeRestartsK3s() throws Exception {
    InstallConfig c = config(0);
    FakeHosts hosts = new FakeHosts((h, cmd) -> FakeHosts.ok("sha=0000\nservice=k3s\n"));
    new RegistriesPhase().run(context(c, hosts, new FakeLocal(x -> FakeHosts.ok("")), RunMode.FULL));
    assertEquals(List.of("10.0.0.1:22 /etc/rancher/k3s/registries.yaml 0600"), hosts.uploads());
    assertEquals("10.0.0.1:22 restart k3s to load registries.yaml", hosts.descriptions().get(1));
    assertEquals("systemctl restart k3s\n", hosts.calls().get(1).script());
  }

  @Test
  void preflightReportsEveryProblemOfAMachine() throws Exception {
    InstallConfig c = config(0);
    FakeHosts hosts = new FakeHosts((h, cmd) -> cmd.description().startsWith("check the machine")
        ? FakeHosts.ok("arch=riscv64\nuid=1000\nfreekib=1024\nmissing=curl\n")
        : FakeHosts.ok(""));
    PhaseFailedException e = assertThrows(PhaseFailedException.class,
        () -> new PreflightPhase().run(context(c, hosts, new FakeLocal(x -> FakeHosts.ok("")), RunMode.FULL)));
    assertEquals("phase preflight on 10.0.0.1:22 failed: unsupported CPU architecture riscv64; only 1 MiB free on "
        + "/var/lib (need 2048 MiB); missing commands: curl", e.getMessage());
  }

  @Test
  void liteboxdOnlyNeedsTheKubeconfigAndRunsOnlyItsPhases() throws Exception {
    InstallConfig c = config(1);
    FakeHosts hosts = new FakeHosts(Fixtures::freshMachine);
    FakeLocal local = new FakeLocal(x -> Fixtures.cluster(x, Fixtures.ips(1)));
    PhaseFailedException e = assertThrows(PhaseFailedException.class,
        () -> PhaseRunner.standard().run(context(c, hosts, local, RunMode.LITEBOXD_ONLY)));
    assertTrue(e.getMessage().contains("no kubeconfig at " + dir.resolve("st/kubeconfig")), e.getMessage());

    Files.createDirectories(dir.resolve("st"));
    Files.writeString(dir.resolve("st/kubeconfig"), "apiVersion: v1\n");
    PhaseContext ctx = context(c, hosts, local, RunMode.LITEBOXD_ONLY);
    PhaseRunner.standard().run(ctx);
    assertTrue(hosts.calls().isEmpty(), hosts.descriptions().toString());
    assertEquals(List.of("preflight", "liteboxd", "summary"), List.copyOf(ctx.state().document().phases().keySet()));
    assertTrue(local.lines().stream().anyMatch(l -> l.startsWith("helm upgrade --install liteboxd")));
  }

  private InstallConfig removeAbsentConfig(int agents) throws Exception {
    Path f = Fixtures.config(dir, agents, 1);
    Files.writeString(f, Files.readString(f).replace("  parallelism: 1", "  parallelism: 1\n  removeAbsentAgents: true"));
    return new ConfigLoader(Fixtures.ENV).load(f, false);
  }

  /** An agent joined by an earlier run, whose password came from $PW ({@code passwordEnv}). */
  private static JoinedAgent joined(String ip, String passwordEnv) {
    return new JoinedAgent(ip, ip, 22, "admin", true, passwordEnv);
  }

  private static FakeLocal clusterWith(String... ips) {
    return new FakeLocal(x -> x.argv().contains("json")
        ? FakeHosts.ok(Fixtures.nodesJson(List.of(ips), List.of()))
        : FakeHosts.ok(""));
  }

  @Test
  void removeAbsentTakesOutOnlyAgentsThisInstallerJoined() throws Exception {
    InstallConfig c = removeAbsentConfig(1);
    FakeLocal local = clusterWith("10.0.0.1", "10.0.0.11", "10.0.0.50", "10.0.0.99");
    FakeHosts hosts = new FakeHosts(Fixtures::freshMachine);
    PhaseContext ctx = context(c, hosts, local, RunMode.FULL);
    ctx.state().markJoined(joined("10.0.0.11", "PW")); // still in the list
    ctx.state().markJoined(joined("10.0.0.99", "PW")); // taken out of the list
    ctx.state().set("agents", "10.0.0.99:22", StepRecord.of(StepStatus.DONE, "joined", null));

    StepOutcome o = new RemoveAbsentPhase(Fixtures.ENV::get).run(ctx);

    assertEquals("removed 10.0.0.99:22", o.message());
    // 10.0.0.50 is a node the installer never joined (added by hand): not drained, only named.
    assertEquals(List.of("kubectl get nodes -o json", "kubectl cordon node-10-0-0-99",
        "kubectl drain node-10-0-0-99 --ignore-daemonsets --delete-emptydir-data --timeout=300s",
        "kubectl delete node node-10-0-0-99 --ignore-not-found"), local.lines());
    assertEquals(List.of("10.0.0.99:22 uninstall k3s-agent"), hosts.descriptions());
    assertTrue(hosts.calls().get(0).asRoot());
    String log = output.toString();
    assertTrue(log.contains("10.0.0.99:22: node node-10-0-0-99 deleted, k3s-agent uninstalled"), log);
    assertTrue(log.contains("left alone, not joined by this installer: node-10-0-0-50 (10.0.0.50)"), log);
    assertFalse(log.contains(Fixtures.PASSWORD), log);
    assertEquals(List.of("10.0.0.11:22"), List.copyOf(ctx.state().joinedAgents().keySet()));
    assertTrue(ctx.state().get("agents", "10.0.0.99:22").isEmpty());
    assertEquals(List.of("10.0.0.11:22"), List.copyOf(
        new StateStore(dir.resolve("st/state.json")).load().orElseThrow().joinedAgents().keySet()));
  }

  @Test
  void removeAbsentWithoutAPasswordOrAMachineDeletesTheNodeAndSaysWhatWasNotUninstalled() throws Exception {
    InstallConfig c = removeAbsentConfig(0);
    FakeLocal local = clusterWith("10.0.0.1", "10.0.0.97", "10.0.0.98");
    FakeHosts hosts = new FakeHosts((h, cmd) -> {
      if (h.host().equals("10.0.0.96")) throw new RemoteException(RemoteException.Kind.UNREACHABLE, "connection refused");
      return FakeHosts.ok("");
    });
    PhaseContext ctx = context(c, hosts, local, RunMode.FULL);
    ctx.state().markJoined(joined("10.0.0.98", null)); // the password was written in the file
    ctx.state().markJoined(joined("10.0.0.97", "UNSET"));
    ctx.state().markJoined(joined("10.0.0.96", "PW")); // no node any more, and the machine is gone

    StepOutcome o = new RemoveAbsentPhase(Fixtures.ENV::get).run(ctx);

    assertEquals("removed 10.0.0.98:22, 10.0.0.97:22, 10.0.0.96:22", o.message());
    assertTrue(local.lines().contains("kubectl delete node node-10-0-0-98 --ignore-not-found"), local.lines().toString());
    assertTrue(local.lines().contains("kubectl delete node node-10-0-0-97 --ignore-not-found"), local.lines().toString());
    assertEquals(List.of("10.0.0.96:22"), hosts.connects());
    String log = output.toString();
    assertTrue(log.contains("10.0.0.98:22: node node-10-0-0-98 deleted, k3s-agent not uninstalled on the machine: "
        + "its password was written in the configuration, and is not kept"), log);
    assertTrue(log.contains("10.0.0.97:22: node node-10-0-0-97 deleted, k3s-agent not uninstalled on the machine: "
        + "$UNSET is not set"), log);
    assertTrue(log.contains("10.0.0.96:22: no node with InternalIP 10.0.0.96, k3s-agent not uninstalled: the machine "
        + "cannot be reached"), log);
    assertTrue(ctx.state().joinedAgents().isEmpty());
  }

  @Test
  void removeAbsentStopsAtTheFirstFailureAndKeepsWhatIsLeft() throws Exception {
    InstallConfig c = removeAbsentConfig(0);
    FakeLocal local = new FakeLocal(x -> {
      if (x.argv().contains("json")) {
        return FakeHosts.ok(Fixtures.nodesJson(List.of("10.0.0.1", "10.0.0.98", "10.0.0.99"), List.of()));
      }
      if (x.argv().get(1).equals("drain")) return FakeHosts.fail(1, "error: cannot evict pod: PDB");
      return FakeHosts.ok("");
    });
    PhaseContext ctx = context(c, new FakeHosts(Fixtures::freshMachine), local, RunMode.FULL);
    ctx.state().markJoined(joined("10.0.0.98", "PW"));
    ctx.state().markJoined(joined("10.0.0.99", "PW"));
    PhaseFailedException e = assertThrows(PhaseFailedException.class,
        () -> new RemoveAbsentPhase(Fixtures.ENV::get).run(ctx));
    assertEquals("10.0.0.98:22", e.node());
    assertFalse(local.lines().stream().anyMatch(l -> l.contains("node-10-0-0-99")), local.lines().toString());
    assertEquals(List.of("10.0.0.98:22", "10.0.0.99:22"), List.copyOf(ctx.state().joinedAgents().keySet()));
  }

  @Test
  void removeAbsentFailsWhenTheMachineRefusesThePassword() throws Exception {
    InstallConfig c = removeAbsentConfig(0);
    FakeHosts hosts = new FakeHosts((h, cmd) -> {
      throw new RemoteException(RemoteException.Kind.AUTH_FAILED, "password refused");
    });
    PhaseContext ctx = context(c, hosts, clusterWith("10.0.0.1"), RunMode.FULL);
    ctx.state().markJoined(joined("10.0.0.98", "PW"));
    PhaseFailedException e = assertThrows(PhaseFailedException.class,
        () -> new RemoveAbsentPhase(Fixtures.ENV::get).run(ctx));
    assertTrue(e.getMessage().contains("AUTH_FAILED"), e.getMessage());
    assertEquals(List.of("10.0.0.98:22"), List.copyOf(ctx.state().joinedAgents().keySet()));
  }

  @Test
  void resumeRerunsADoneStepWhoseConfigChanged() throws Exception {
    InstallConfig c = config(0);
    StateStore store = new StateStore(dir.resolve("st/state.json"));
    InstallLog log = new InstallLog(new Redactor(), new PrintStream(new ByteArrayOutputStream(), true), null, false);
    InstallState state = new InstallState("t", "fp");
    FakeHosts first = new FakeHosts(Fixtures::freshMachine);
    new K3sServerPhase().run(new PhaseContext(c, log, state, store, new HostPool(first), null, dir.resolve("st"),
        RunMode.FULL, false, true, d -> {}));
    assertEquals(StepStatus.DONE, state.get("k3s-server", "10.0.0.1:22").orElseThrow().status());

    FakeHosts same = new FakeHosts(Fixtures::freshMachine);
    new K3sServerPhase().run(new PhaseContext(c, log, state, store, new HostPool(same), null, dir.resolve("st"),
        RunMode.FULL, false, true, d -> {}));
    assertTrue(same.calls().isEmpty(), "a DONE step with the same configuration ran again");

    Path f = c.file();
    Files.writeString(f, Files.readString(f).replace("v1.31.4+k3s1", "v1.32.1+k3s1"));
    InstallConfig changed = new ConfigLoader(Fixtures.ENV).load(f, false);
    FakeHosts again = new FakeHosts(Fixtures::freshMachine);
    new K3sServerPhase().run(new PhaseContext(changed, log, state, store, new HostPool(again), null,
        dir.resolve("st"), RunMode.FULL, false, true, d -> {}));
    assertTrue(again.descriptions().contains("10.0.0.1:22 install k3s server v1.32.1+k3s1 (online)"));
  }

  @Test
  void airgapBundleFilesAreSentOnceBySha() throws Exception {
    Files.createDirectories(dir.resolve("bundle"));
    Files.writeString(dir.resolve("bundle/install.sh"), "#!/bin/sh\n");
    Files.writeString(dir.resolve("bundle/k3s"), "binary");
    Files.writeString(dir.resolve("bundle/k3s-airgap-images-amd64.tar.zst"), "images");
    Path f = Fixtures.config(dir, 0, 1);
    Files.writeString(f, Files.readString(f).replace("    version: v1.31.4+k3s1\n",
        "    version: v1.31.4+k3s1\n    source: airgap\n    airgapBundle: ./bundle\n"));
    InstallConfig c = new ConfigLoader(Fixtures.ENV).load(f, false);
    String binarySha = Fingerprint.sha256("binary".getBytes(StandardCharsets.UTF_8));
    FakeHosts hosts = new FakeHosts((h, cmd) -> cmd.description().equals("sha256 of /usr/local/bin/k3s")
        ? FakeHosts.ok(binarySha + "\n") : Fixtures.freshMachine(h, cmd));
    new K3sServerPhase().run(context(c, hosts, null, RunMode.FULL));
    assertEquals(List.of("10.0.0.1:22 /var/lib/liteboxd-installer/bundle/install.sh 0755",
        "10.0.0.1:22 /var/lib/rancher/k3s/agent/images/k3s-airgap-images-amd64.tar.zst 0644"), hosts.uploads());
    assertTrue(hosts.descriptions().contains("10.0.0.1:22 install k3s server v1.31.4+k3s1 (airgap)"));
  }

  @Test
  void aRemoteErrorNamesItsKind() throws Exception {
    InstallConfig c = config(0);
    FakeHosts hosts = new FakeHosts((h, cmd) -> {
      if (cmd.description().startsWith("check that sudo works")) {
        throw new RemoteException(RemoteException.Kind.AUTH_FAILED, "sudo refused the password");
      }
      return Fixtures.freshMachine(h, cmd);
    });
    PhaseFailedException e = assertThrows(PhaseFailedException.class,
        () -> new PreflightPhase().run(context(c, hosts, new FakeLocal(x -> FakeHosts.ok("")), RunMode.FULL)));
    assertEquals("phase preflight on 10.0.0.1:22 failed: check that sudo works: AUTH_FAILED: sudo refused the password",
        e.getMessage());
  }
}
