package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.K3sSource;
import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.config.Secret;
import io.liteboxd.installer.kube.Kubectl;
import io.liteboxd.installer.kube.NodeStatus;
import java.util.List;

/**
 * Joins the agents, up to `parallelism` at a time. An agent whose k3s-agent is installed and whose
 * node is Ready is left alone. The token goes in the script (standard input), never on a command
 * line or in a log.
 */
public final class AgentsPhase implements Phase {
  public static final String NAME = "agents";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String fingerprint(InstallConfig config) {
    return Fingerprint.of(config.cluster().agents(), config.cluster().k3s(), config.cluster().master().nodeIP());
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    InstallConfig c = ctx.config();
    List<NodeConfig> agents = c.cluster().agents();
    if (agents.isEmpty()) return StepOutcome.skipped("no agents configured");
    Secret token = ctx.token().orElseThrow(
        () -> new PhaseFailedException(NAME, null, "the node token is unknown (cluster-access did not run)"));
    List<NodeStatus> nodes;
    try {
      nodes = NodeProbe.parse(ctx.localOk(Kubectl.getNodes()).stdout());
    } catch (StepFailure e) {
      throw new PhaseFailedException(NAME, "local", ctx.log().redactor().redact(e.getMessage()));
    }
    String fp = fingerprint(c);
    Parallel.forEach(agents, c.runtime().parallelism(),
        agent -> ctx.step(NAME, agent, fp, () -> join(ctx, agent, token, nodes)));
    return StepOutcome.done(agents.size() + " agents");
  }

  private static StepOutcome join(PhaseContext ctx, NodeConfig agent, Secret token, List<NodeStatus> nodes)
      throws StepFailure {
    var k3s = ctx.config().cluster().k3s();
    // In the list, so the installer manages it from now on; recorded before the join script, as a
    // join that fails half-way is still ours to remove (removeAbsentAgents).
    ctx.markJoined(agent);
    String installed = ctx.remote(agent, "is k3s-agent installed",
        "if [ -x /usr/local/bin/k3s-agent-uninstall.sh ]; then echo installed; fi\n", false).stdout();
    if (installed.contains("installed") && NodeProbe.readyAt(nodes, agent.nodeIP())) {
      return StepOutcome.done("k3s-agent already installed and Ready");
    }
    String sent = "";
    if (k3s.source() == K3sSource.AIRGAP) sent = AirgapUpload.upload(ctx, agent, k3s.airgapBundle()) + "; ";
    ctx.remoteOk(agent, "install k3s agent " + k3s.version() + " (" + k3s.source().name().toLowerCase() + ")",
        K3sScripts.agent(ctx.config(), agent, token), true);
    return StepOutcome.done(sent + "k3s agent " + k3s.version() + " joined");
  }
}
