package io.liteboxd.installer.phase;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.installer.config.ConfigLoader;
import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.log.InstallLog;
import io.liteboxd.installer.log.Redactor;
import io.liteboxd.installer.remote.CommandResult;
import io.liteboxd.installer.state.InstallState;
import io.liteboxd.installer.state.JoinedAgent;
import io.liteboxd.installer.state.StateStore;
import io.liteboxd.installer.state.StepStatus;
import io.liteboxd.installer.testing.FakeHosts;
import io.liteboxd.installer.testing.FakeLocal;
import io.liteboxd.installer.testing.Fixtures;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhaseRunnerTest {
  @TempDir Path dir;
  final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private PhaseContext context(InstallConfig config, FakeHosts hosts, FakeLocal local, InstallState state,
      RunMode mode, boolean resume) throws Exception {
    InstallLog log = new InstallLog(new Redactor(), new PrintStream(console, true), null, false);
    return new PhaseContext(config, log, state, new StateStore(dir.resolve("state/state.json")), new HostPool(hosts),
        local, dir.resolve("state"), mode, false, resume, d -> {});
  }

  private InstallConfig config(int agents, int parallelism) throws Exception {
    return new ConfigLoader(Fixtures.ENV).load(Fixtures.config(dir, agents, parallelism), false);
  }

  private static FakeLocal healthyCluster(int agents) {
    return new FakeLocal(c -> Fixtures.cluster(c, Fixtures.ips(agents)));
  }

  @Test
  void freshInstallRunsThePhasesInOrderAndRecordsThem() throws Exception {
    InstallConfig config = config(2, 1);
    FakeHosts hosts = new FakeHosts(Fixtures::freshMachine);
    FakeLocal local = healthyCluster(2);
    InstallState state = new InstallState("t", "fp");
    PhaseRunner.standard().run(context(config, hosts, local, state, RunMode.FULL, false));

    InstallState saved = new StateStore(dir.resolve("state/state.json")).load().orElseThrow();
    List<String> order = List.of("preflight", "registries", "k3s-server", "cluster-access", "cilium", "agents",
        "nodes-ready", "remove-absent", "liteboxd", "summary");
    assertEquals(order, List.copyOf(saved.document().phases().keySet()));
    for (String p : order) {
      StepStatus s = saved.get(p, null).orElseThrow().status();
      assertTrue(s.finished(), p + " " + s);
    }
    assertEquals(StepStatus.SKIPPED, saved.get("remove-absent", null).orElseThrow().status());
    assertEquals(StepStatus.DONE, saved.get("agents", "10.0.0.12:22").orElseThrow().status());
    assertEquals(List.of(new JoinedAgent("10.0.0.11", "10.0.0.11", 22, "root", false, "PW"),
        new JoinedAgent("10.0.0.12", "10.0.0.12", 22, "root", false, "PW")), List.copyOf(saved.joinedAgents().values()));

    // The k3s server is installed before the token is read, and the agents join after Cilium.
    List<String> d = hosts.descriptions();
    int server = d.indexOf("10.0.0.1:22 install k3s server v1.31.4+k3s1 (online)");
    int token = d.indexOf("10.0.0.1:22 read the k3s node token");
    int agent = d.indexOf("10.0.0.11:22 install k3s agent v1.31.4+k3s1 (online)");
    assertTrue(server >= 0 && token > server && agent > token, d.toString());
    List<String> lines = local.lines();
    int cilium = indexOf(lines, "helm upgrade --install cilium");
    int liteboxd = indexOf(lines, "helm upgrade --install liteboxd");
    assertTrue(cilium >= 0 && liteboxd > cilium, lines.toString());
    assertTrue(lines.get(liteboxd).contains("-f " + dir.resolve("values.d/10-base.yaml") + " -f "
        + dir.resolve("values.d/20-site.yml")), lines.get(liteboxd));
    assertTrue(lines.get(liteboxd).contains("--set-string image.tag=1.10"), lines.get(liteboxd));

    // The agent script carries the token (on stdin); the registries file went up as a file.
    String agentScript = hosts.calls().get(agent).script();
    assertTrue(agentScript.contains("K3S_TOKEN=" + Fixtures.TOKEN.replace(":", ":")), agentScript);
    assertTrue(agentScript.contains("K3S_URL=https://10.0.0.1:6443"), agentScript);
    assertTrue(hosts.uploads().contains("10.0.0.1:22 /etc/rancher/k3s/registries.yaml 0600"), hosts.uploads().toString());
    String serverScript = hosts.calls().get(server).script();
    assertTrue(serverScript.contains("--flannel-backend=none"), serverScript);

    Path kubeconfig = dir.resolve("state/kubeconfig");
    assertTrue(Files.readString(kubeconfig).contains("server: https://10.0.0.1:6443"));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)));
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
    return -1;
  }

  @Test
  void agentsJoinAtMostParallelismAtOnce() throws Exception {
    InstallConfig config = config(5, 2);
    // The first two installs wait for each other, so two really run at once; then the pool's
    // size alone decides how many overlap.
    CountDownLatch twoInFlight = new CountDownLatch(2);
    FakeHosts hosts = new FakeHosts((h, c) -> {
      if (c.description().startsWith("install k3s agent")) {
        twoInFlight.countDown();
        try {
          twoInFlight.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return Fixtures.freshMachine(h, c);
    });
    PhaseContext ctx = context(config, hosts, healthyCluster(0), new InstallState("t", "fp"), RunMode.FULL, false);
    ctx.setToken(io.liteboxd.installer.config.Secret.of(Fixtures.TOKEN));
    new AgentsPhase().run(ctx);
    assertEquals(2, hosts.maxInFlight());
    assertEquals(5, hosts.descriptions().stream().filter(s -> s.contains("install k3s agent")).count());
  }

  @Test
  void resumeSkipsDoneStepsAndRerunsTheFailedOne() throws Exception {
    InstallConfig config = config(2, 1);
    AtomicBoolean agentBroken = new AtomicBoolean(true);
    FakeHosts first = new FakeHosts((h, c) -> {
      if (h.host().equals("10.0.0.12") && c.description().startsWith("install k3s agent") && agentBroken.get()) {
        return FakeHosts.fail(1, "curl: (6) Could not resolve host: get.k3s.io");
      }
      return Fixtures.freshMachine(h, c);
    });
    InstallState state = new InstallState("t", "fp");
    PhaseFailedException e = assertThrows(PhaseFailedException.class,
        () -> PhaseRunner.standard().run(context(config, first, healthyCluster(2), state, RunMode.FULL, false)));
    assertEquals("agents", e.phase());
    assertEquals("10.0.0.12:22", e.node());
    assertTrue(e.getMessage().contains("Could not resolve host"), e.getMessage());

    StateStore store = new StateStore(dir.resolve("state/state.json"));
    InstallState saved = store.load().orElseThrow();
    assertEquals(StepStatus.FAILED, saved.get("agents", "10.0.0.12:22").orElseThrow().status());
    assertEquals(StepStatus.DONE, saved.get("agents", "10.0.0.11:22").orElseThrow().status());
    assertEquals("agents", saved.firstUnfinished(PhaseRunner.standard().names()).orElseThrow());

    agentBroken.set(false);
    FakeHosts second = new FakeHosts(Fixtures::freshMachine);
    PhaseRunner.standard().run(context(config, second, healthyCluster(2), saved, RunMode.FULL, true));
    List<String> d = second.descriptions();
    assertFalse(d.stream().anyMatch(s -> s.contains("install k3s server")), d.toString());
    assertFalse(d.stream().anyMatch(s -> s.contains("check the machine")), d.toString());
    assertFalse(d.contains("10.0.0.11:22 install k3s agent v1.31.4+k3s1 (online)"), d.toString());
    assertTrue(d.contains("10.0.0.12:22 install k3s agent v1.31.4+k3s1 (online)"), d.toString());
    // The token is read again: it is never stored.
    assertTrue(d.contains("10.0.0.1:22 read the k3s node token"), d.toString());
    InstallState after = store.load().orElseThrow();
    assertEquals(StepStatus.DONE, after.get("agents", "10.0.0.12:22").orElseThrow().status());
    assertTrue(after.firstUnfinished(PhaseRunner.standard().names()).isEmpty());
  }

  @Test
  void applyRunsEveryStepAgainButEachChecksFirst() throws Exception {
    InstallConfig config = config(1, 1);
    InstallState state = new InstallState("t", "fp");
    PhaseRunner.standard().run(context(config, new FakeHosts(Fixtures::freshMachine), healthyCluster(1), state,
        RunMode.FULL, false));
    // Second apply: k3s is there, in the right version, and Ready: nothing is installed again.
    FakeHosts installed = new FakeHosts((h, c) -> {
      if (c.description().equals("read the installed k3s version")) return FakeHosts.ok("k3s version v1.31.4+k3s1 (abc)\n");
      if (c.description().equals("list the cluster's nodes")) return FakeHosts.ok(Fixtures.nodesJson(Fixtures.ips(1), List.of()));
      if (c.description().equals("is k3s-agent installed")) return FakeHosts.ok("installed\n");
      return Fixtures.freshMachine(h, c);
    });
    PhaseRunner.standard().run(context(config, installed, healthyCluster(1), state, RunMode.FULL, false));
    List<String> d = installed.descriptions();
    assertTrue(d.contains("10.0.0.1:22 check the machine (arch, user, disk, commands)"), d.toString());
    assertFalse(d.stream().anyMatch(s -> s.contains("install k3s")), d.toString());
  }

  @Test
  void clusterOnlyRecordsLiteboxdSkipped() throws Exception {
    InstallConfig config = config(0, 1);
    InstallState state = new InstallState("t", "fp");
    FakeLocal local = healthyCluster(0);
    PhaseRunner.standard().run(context(config, new FakeHosts(Fixtures::freshMachine), local, state,
        RunMode.CLUSTER_ONLY, false));
    assertEquals(StepStatus.SKIPPED, state.get("liteboxd", null).orElseThrow().status());
    assertFalse(local.lines().stream().anyMatch(l -> l.startsWith("helm upgrade --install liteboxd")));
  }

  @Test
  void nodesReadyFailsOnANotReadyNodeAndNamesIt() throws Exception {
    InstallConfig config = config(1, 1);
    FakeLocal local = new FakeLocal(c -> FakeHosts.ok(Fixtures.nodesJson(List.of("10.0.0.1"), List.of("10.0.0.11"))));
    PhaseContext ctx = context(config, new FakeHosts(Fixtures::freshMachine), local, new InstallState("t", "fp"),
        RunMode.FULL, false);
    PhaseFailedException e = assertThrows(PhaseFailedException.class, () -> new NodesReadyPhase().run(ctx));
    assertTrue(e.getMessage().contains("node-10-0-0-11 (10.0.0.11): NotReady - KubeletNotReady"), e.getMessage());
    assertFalse(e.getMessage().contains("10.0.0.1)"), e.getMessage());
    // 10 s timeout, one poll per 5 s: two polls, no real waiting.
    assertEquals(2, local.lines().size());
  }

  @Test
  void aFailedCommandNamesPhaseNodeAndStderr() throws Exception {
    InstallConfig config = config(0, 1);
    FakeHosts hosts = new FakeHosts((h, c) -> c.description().startsWith("install k3s server")
        ? new CommandResult(1, "", "[INFO] Finding release\n[ERROR] Download failed", java.time.Duration.ZERO)
        : Fixtures.freshMachine(h, c));
    PhaseFailedException e = assertThrows(PhaseFailedException.class, () -> PhaseRunner.standard()
        .run(context(config, hosts, healthyCluster(0), new InstallState("t", "fp"), RunMode.FULL, false)));
    assertEquals("phase k3s-server on 10.0.0.1:22 failed: install k3s server v1.31.4+k3s1 (online) exited 1: "
        + "[INFO] Finding release\n[ERROR] Download failed", e.getMessage());
  }
}
