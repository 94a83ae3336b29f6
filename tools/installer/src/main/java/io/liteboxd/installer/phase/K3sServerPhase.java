package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.InstallConfig;
import io.liteboxd.installer.config.K3sSource;
import io.liteboxd.installer.config.NodeConfig;

/**
 * Installs the k3s server on the master. Skipped when k3s of the configured version is installed
 * and the node is Ready; a different version is installed over it (the script upgrades in place).
 */
public final class K3sServerPhase implements Phase {
  public static final String NAME = "k3s-server";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String fingerprint(InstallConfig config) {
    return Fingerprint.of(config.cluster().master(), config.cluster().k3s(), config.network().cni());
  }

  @Override
  public StepOutcome run(PhaseContext ctx) throws PhaseFailedException {
    NodeConfig master = ctx.config().cluster().master();
    ctx.step(NAME, master, fingerprint(ctx.config()), () -> install(ctx, master));
    return StepOutcome.done("k3s server on " + master.address());
  }

  private static StepOutcome install(PhaseContext ctx, NodeConfig master) throws StepFailure {
    var k3s = ctx.config().cluster().k3s();
    String version = ctx.remote(master, "read the installed k3s version",
        "if [ -x /usr/local/bin/k3s-uninstall.sh ]; then /usr/local/bin/k3s --version | head -n1; fi\n", true)
        .stdout();
    if (version.contains(k3s.version())) {
      String json = ctx.remote(master, "list the cluster's nodes",
          "/usr/local/bin/k3s kubectl get nodes -o json\n", true).stdout();
      if (NodeProbe.readyAt(NodeProbe.parse(json), master.nodeIP())) {
        return StepOutcome.done("k3s " + k3s.version() + " already installed and Ready");
      }
    }
    String sent = "";
    if (k3s.source() == K3sSource.AIRGAP) sent = AirgapUpload.upload(ctx, master, k3s.airgapBundle()) + "; ";
    ctx.remoteOk(master, "install k3s server " + k3s.version() + " (" + k3s.source().name().toLowerCase() + ")",
        K3sScripts.server(ctx.config()), true);
    return StepOutcome.done(sent + "k3s server " + k3s.version() + " installed");
  }
}
