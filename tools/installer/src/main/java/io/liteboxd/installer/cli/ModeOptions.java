package io.liteboxd.installer.cli;

import io.liteboxd.installer.phase.RunMode;
import picocli.CommandLine.Option;

/** --cluster-only and --liteboxd-only, mutually exclusive (picocli makes both a usage error). */
final class ModeOptions {
  @Option(names = "--cluster-only", description = "Install the cluster, not LiteBoxd.")
  boolean clusterOnly;

  @Option(names = "--liteboxd-only", description = "Install LiteBoxd on the cluster installed before.")
  boolean liteboxdOnly;

  static RunMode of(ModeOptions o) {
    if (o == null) return RunMode.FULL;
    if (o.clusterOnly) return RunMode.CLUSTER_ONLY;
    if (o.liteboxdOnly) return RunMode.LITEBOXD_ONLY;
    return RunMode.FULL;
  }
}
