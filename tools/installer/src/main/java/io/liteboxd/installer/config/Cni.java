package io.liteboxd.installer.config;

/** The pod network: Cilium installed by the installer, or NONE to keep the cluster's own. */
public enum Cni {
  CILIUM,
  NONE
}
