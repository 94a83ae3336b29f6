package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.config.Secret;
import io.liteboxd.installer.kube.Kubectl;
import io.liteboxd.installer.remote.CommandResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the later phases need from the server: the node token (agents join with it; from now
 * on it is masked in all output) and the kubeconfig, its server address rewritten from 127.0.0.1
 * to the API address and stored beside state.json, mode 0600. Always runs: the token lives only in
 * memory.
 */
public final class ClusterAccessPhase implements Phase {
  public static final String NAME = "cluster-access";
  static final Duration API_POLL = Duration.ofSeconds(2);
  private static final Pattern SERVER = Pattern.compile("(?m)^(\\s*server:\\s*)https://\\S+$");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    NodeConfig master = ctx.config().cluster().master();
    ctx.step(NAME, master, null, () -> fetch(ctx, master));
    return StepOutcome.done("token read, kubeconfig at " + ctx.kubeconfig());
  }

  private static StepOutcome fetch(PhaseContext ctx, NodeConfig master) throws StepFailure {
    Secret token = Secret.of(ctx.remoteHidden(master, "read the k3s node token",
        "cat /var/lib/rancher/k3s/server/node-token\n").stdout().strip());
    if (ctx.dryRun()) {
      ctx.setToken(Secret.of("<node-token>"));
    } else if (token.isEmpty()) {
      throw new StepFailure("the k3s node token is empty");
    } else {
      ctx.setToken(token);
    }
    // Its client key is cluster-admin: read it without logging it.
    String kubeconfig = ctx.remoteHidden(master, "read the k3s kubeconfig", "cat /etc/rancher/k3s/k3s.yaml\n").stdout();
    if (ctx.dryRun()) return StepOutcome.done("would write " + ctx.kubeconfig());
    String rewritten = rewriteServer(kubeconfig, ctx.config().cluster().k3s().apiAddress());
    if (rewritten.equals(kubeconfig) && !kubeconfig.contains("server:")) {
      throw new StepFailure("/etc/rancher/k3s/k3s.yaml has no server: line");
    }
    writePrivate(ctx.kubeconfig(), rewritten);
    awaitApi(ctx);
    return StepOutcome.done("kubeconfig written to " + ctx.kubeconfig() + ", API server ready");
  }

  /**
   * k3s serves its API some seconds after its install script or a restart (registries.yaml) returns;
   * the phases after this one talk to it, so they start once it answers /readyz through the new
   * kubeconfig, or fail here after runtime.readyTimeoutSeconds.
   */
  private static void awaitApi(PhaseContext ctx) throws StepFailure {
    Duration timeout = Duration.ofSeconds(ctx.config().runtime().readyTimeoutSeconds());
    long polls = Math.max(1, timeout.toMillis() / API_POLL.toMillis());
    CommandResult last = null;
    try {
      for (long i = 0; i < polls; i++) {
        last = ctx.local(Kubectl.apiReady());
        if (last.ok()) return;
        if (i + 1 < polls) ctx.sleeper().sleep(API_POLL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StepFailure("interrupted while waiting for the API server");
    }
    throw new StepFailure("the API server at " + ctx.config().cluster().k3s().apiAddress() + ":6443 did not answer within "
        + timeout.toSeconds() + " s: " + PhaseContext.failureText("readyz", last));
  }

  static String rewriteServer(String kubeconfig, String apiAddress) {
    String url = "https://" + K3sScripts.hostPort(apiAddress) + ":6443";
    return SERVER.matcher(kubeconfig).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + url));
  }

  /** Written whole (temp file + move) and readable by the owner only: it is cluster-admin. */
  static void writePrivate(Path file, String content) throws StepFailure {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".kubeconfig-", ".tmp");
      try {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // Not POSIX: the profile directory protects it.
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new StepFailure("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
