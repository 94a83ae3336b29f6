package io.liteboxd.installer.config;

import io.liteboxd.installer.remote.HostAccess;

/**
 * One machine of the cluster; {@code nodeIP} is the address k3s announces (default: host);
 * {@code passwordEnv} names the environment variable the password came from when the file gave
 * it as exactly one ${NAME} (null otherwise): a name that may be kept where the password may not.
 */
public record NodeConfig(String host, int port, String user, Secret password, boolean sudo, String nodeIP,
    String passwordEnv) {
  public HostAccess access() {
    return new HostAccess(host, port, user, password, sudo);
  }

  /** host:port, the node's key in state.json and in logs. */
  public String address() {
    return host + ":" + port;
  }
}
