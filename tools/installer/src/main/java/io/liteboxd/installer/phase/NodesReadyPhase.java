package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.kube.Kubectl;
import io.liteboxd.installer.kube.NodeStatus;
import io.liteboxd.installer.remote.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Waits until every configured machine is a node (matched by InternalIP) whose Ready condition is
 * True. On timeout it fails naming each node that is missing or not Ready, with the reason.
 */
public final class NodesReadyPhase implements Phase {
  public static final String NAME = "nodes-ready";
  static final Duration POLL = Duration.ofSeconds(5);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String fingerprint(InstallConfig config) {
    return Fingerprint.of(config.cluster().allNodes());
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    List<NodeConfig> wanted = ctx.config().cluster().allNodes();
    Duration timeout = Duration.ofSeconds(ctx.config().runtime().readyTimeoutSeconds());
    long polls = Math.max(1, timeout.toMillis() / POLL.toMillis());
    List<String> problems = List.of();
    try {
      for (long i = 0; i < polls; i++) {
        CommandResult r = ctx.local(Kubectl.getNodes());
        if (ctx.dryRun()) return StepOutcome.done("would wait for " + wanted.size() + " nodes");
        if (r.ok()) {
          problems = problems(wanted, NodeProbe.parse(r.stdout()));
          if (problems.isEmpty()) return StepOutcome.done(wanted.size() + " nodes Ready");
        } else {
          problems = List.of("kubectl get nodes: " + PhaseContext.failureText("list nodes", r));
        }
        if (i + 1 < polls) ctx.sleeper().sleep(POLL);
      }
    } catch (StepFailure e) {
      throw new PhaseFailedException(NAME, null, ctx.log().redactor().redact(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PhaseFailedException(NAME, null, "interrupted");
    }
    throw new PhaseFailedException(NAME, null,
        "not Ready after " + timeout.toSeconds() + " s: " + String.join("; ", problems));
  }

  /** One line per configured machine that is not a Ready node; empty when all are. */
  public static List<String> problems(List<NodeConfig> wanted, List<NodeStatus> nodes) {
    List<String> out = new ArrayList<>();
    for (NodeConfig n : wanted) {
      Optional<NodeStatus> s = NodeProbe.byIp(nodes, n.nodeIP());
      if (s.isEmpty()) out.add(n.host() + " (" + n.nodeIP() + "): no node with this InternalIP");
      else if (!s.get().ready()) out.add(s.get().name() + " (" + n.nodeIP() + "): NotReady - " + s.get().readyReason());
    }
    return out;
  }
}
