package io.liteboxd.installer.remote;

/** Opens connections; one per machine and run, reused by every step on that machine. */
public interface RemoteHosts extends AutoCloseable {
  RemoteHost connect(HostAccess access) throws RemoteException;

  @Override
  void close();
}
