package io.liteboxd.installer.remote;

import io.liteboxd.installer.config.Secret;

/**
 * How to reach one machine over SSH, as the configuration gives it: {@code host} is an address or
 * a name, {@code sudo} says whether commands that need root go through sudo (with the same
 * password) or the user is root itself.
 */
public record HostAccess(String host, int port, String user, Secret password, boolean sudo) {
  /** host:port, the key of this machine in the known-hosts file, in state.json and in logs. */
  public String address() {
    return host + ":" + port;
  }
}
