package io.liteboxd.installer.phase;

/** Which part of the install a run covers (apply's --cluster-only and --liteboxd-only). */
public enum RunMode {
  FULL,
  CLUSTER_ONLY,
  LITEBOXD_ONLY
}
