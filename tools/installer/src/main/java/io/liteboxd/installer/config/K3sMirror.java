package io.liteboxd.installer.config;

/** Which download site the online install uses; CN sets INSTALL_K3S_MIRROR=cn. */
public enum K3sMirror {
  DEFAULT("https://get.k3s.io"),
  CN("https://rancher-mirror.rancher.cn/k3s/k3s-install.sh");

  private final String scriptUrl;

  K3sMirror(String scriptUrl) {
    this.scriptUrl = scriptUrl;
  }

  public String defaultScriptUrl() {
    return scriptUrl;
  }
}
