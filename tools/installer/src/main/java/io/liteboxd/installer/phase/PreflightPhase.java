package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.Cni;
import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.K3sSource;
import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.remote.CommandResult;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that every machine can be used before anything changes: reachable, a supported CPU, root
 * or working sudo, disk space, the commands the install scripts need; and that kubectl and helm
 * are here. With --liteboxd-only: the local part and the kubeconfig.
 */
public final class PreflightPhase implements Phase {
  public static final String NAME = "preflight";
  /** k3s with its images takes ~1 GiB; LiteBoxd's images and sandboxes need room too. */
  static final long MIN_FREE_KIB = 2L * 1024 * 1024;
  private static final Set<String> ARCHES = Set.of("x86_64", "aarch64", "arm64");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String fingerprint(InstallConfig config) {
    return Fingerprint.of(config.cluster().allNodes(), config.cluster().k3s().source());
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    List<String> missing = localProblems(ctx);
    if (!missing.isEmpty()) throw new PhaseFailedException(NAME, "local", String.join("; ", missing));
    if (ctx.mode() == RunMode.LITEBOXD_ONLY) return StepOutcome.done("kubectl, helm and the kubeconfig are here");
    InstallConfig c = ctx.config();
    String fp = fingerprint(c);
    Parallel.forEach(c.cluster().allNodes(), c.runtime().parallelism(),
        node -> ctx.step(NAME, node, fp, () -> check(ctx, node)));
    return StepOutcome.done(c.cluster().allNodes().size() + " machines ready");
  }

  private static List<String> localProblems(PhaseContext ctx) {
    InstallConfig c = ctx.config();
    List<String> needed = new ArrayList<>(List.of("kubectl"));
    boolean helm = ctx.mode() != RunMode.CLUSTER_ONLY || c.network().cni() == Cni.CILIUM;
    if (helm) needed.add("helm");
    List<String> problems = new ArrayList<>();
    for (String program : needed) {
      if (!ctx.localCommands().onPath(program)) problems.add(program + " is not on PATH");
    }
    if (ctx.mode() == RunMode.LITEBOXD_ONLY && !ctx.dryRun() && !Files.isRegularFile(ctx.kubeconfig())) {
      problems.add("no kubeconfig at " + ctx.kubeconfig() + " (run apply without --liteboxd-only first)");
    }
    return problems;
  }

  private static StepOutcome check(PhaseContext ctx, NodeConfig node) throws StepFailure {
    boolean online = ctx.config().cluster().k3s().source() == K3sSource.ONLINE;
    String commands = online ? "sh tar curl" : "sh tar";
    String script = """
        echo "arch=$(uname -m)"
        echo "uid=$(id -u)"
        echo "freekib=$(df -Pk /var/lib | awk 'NR==2 {print $4}')"
        for c in %s; do command -v "$c" >/dev/null 2>&1 || echo "missing=$c"; done
        """.formatted(commands);
    CommandResult r = ctx.remoteOk(node, "check the machine (arch, user, disk, commands)", script, false);
    if (node.sudo()) {
      ctx.remoteOk(node, "check that sudo works", "id -u\n", true);
    }
    if (ctx.dryRun()) return StepOutcome.done("checks printed (dry run)");
    Map<String, String> facts = new HashMap<>();
    List<String> missing = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      int eq = line.indexOf('=');
      if (eq < 0) continue;
      String k = line.substring(0, eq).trim();
      String v = line.substring(eq + 1).trim();
      if (k.equals("missing")) missing.add(v);
      else facts.put(k, v);
    }
    List<String> problems = new ArrayList<>();
    String arch = facts.getOrDefault("arch", "?");
    if (!ARCHES.contains(arch)) problems.add("unsupported CPU architecture " + arch);
    if (!"0".equals(facts.get("uid")) && !node.sudo()) {
      problems.add("user " + node.user() + " is not root; set sudo: true");
    }
    try {
      long free = Long.parseLong(facts.getOrDefault("freekib", "-1"));
      if (free >= 0 && free < MIN_FREE_KIB) {
        problems.add("only " + free / 1024 + " MiB free on /var/lib (need " + MIN_FREE_KIB / 1024 + " MiB)");
      }
    } catch (NumberFormatException e) {
      problems.add("cannot read the free space of /var/lib");
    }
    if (!missing.isEmpty()) problems.add("missing commands: " + String.join(", ", missing));
    if (!problems.isEmpty()) throw new StepFailure(String.join("; ", problems));
    return StepOutcome.done(arch + ", " + (node.sudo() ? "sudo" : "root") + ", " + facts.get("freekib") + " KiB free");
  }
}
