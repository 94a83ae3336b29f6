package io.liteboxd.installer.config;

/** Where k3s comes from: the install script from the internet, or a local air-gap bundle. */
public enum K3sSource {
  ONLINE,
  AIRGAP
}
