package io.liteboxd.installer.cli;

import io.liteboxd.installer.node.NodeRemover;
import io.liteboxd.installer.phase.PhaseContext;
import io.liteboxd.installer.phase.PhaseFailedException;
import io.liteboxd.installer.phase.RunMode;
import io.liteboxd.installer.state.InstallState;
import io.liteboxd.installer.config.NodeConfig;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** Takes agents out of the cluster and uninstalls k3s-agent from them. */
@Command(name = "remove", description = "Drain and delete agent nodes, then uninstall k3s-agent on them.")
final class NodeRemoveCommand implements Callable<Integer> {
  @ParentCommand NodeCommand node;

  @Option(names = "--hosts", split = ",", required = true, description = "Agents by host or nodeIP, comma-separated.")
  List<String> hosts;

  @Override
  public Integer call() {
    InstallerCommand top = node.top;
    return Runs.guarded(top.wiring.out(), () -> {
      try (Session s = Session.open(top, true, false)) {
        List<NodeConfig> targets;
        try {
          targets = NodeRemover.resolve(s.config, hosts);
        } catch (IllegalArgumentException e) {
          s.log.error(e.getMessage());
          return Runs.USAGE;
        }
        if (!Files.isRegularFile(s.stateDir.resolve("kubeconfig"))) {
          s.log.error("no kubeconfig at " + s.stateDir.resolve("kubeconfig") + " (run apply first)");
          return Runs.USAGE;
        }
        InstallState state = s.store.load().orElseGet(() -> new InstallState(s.config.cluster().name(), ""));
        PhaseContext ctx = s.context(state, RunMode.CLUSTER_ONLY, false);
        try {
          NodeRemover.remove(ctx, targets);
        } catch (PhaseFailedException e) {
          s.log.error(e.getMessage());
          return Runs.FAILED;
        }
        s.log.info("Removed. Delete them from " + top.file + " too, or the next apply joins them again.");
        return Runs.OK;
      }
    });
  }
}
