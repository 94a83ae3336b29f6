package io.liteboxd.installer.phase;

import io.liteboxd.installer.config.NodeConfig;
import io.liteboxd.installer.remote.RemoteException;
import io.liteboxd.installer.remote.RemoteHost;
import io.liteboxd.installer.remote.RemoteHosts;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One connection per machine for the whole run, opened on first use, closed at the end. */
public final class HostPool implements AutoCloseable {
  private final RemoteHosts hosts;
  private final Map<String, RemoteHost> open = new ConcurrentHashMap<>();
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  public HostPool(RemoteHosts hosts) {
    this.hosts = hosts;
  }

  public RemoteHost get(NodeConfig node) throws RemoteException {
    String key = node.address();
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      RemoteHost h = open.get(key);
      if (h == null) {
        h = hosts.connect(node.access());
        open.put(key, h);
      }
      return h;
    }
  }

  @Override
  public void close() {
    open.values().forEach(RemoteHost::close);
    open.clear();
    hosts.close();
  }
}
