package io.liteboxd.installer.ssh;

import io.liteboxd.installer.remote.RemoteException;
import java.net.SocketAddress;
import java.security.PublicKey;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * MINA's hook into {@link KnownHostsFile}: the key is checked against the address the session was
 * asked to connect to (the host as configured, not what it resolved to). A refusal is kept on the
 * session so {@link SshHosts#connect} can report HOST_KEY_CHANGED with the file and line instead of
 * MINA's generic "key exchange failed".
 */
final class PinningServerKeyVerifier implements ServerKeyVerifier {
  static final AttributeKey<RemoteException> REFUSAL = new AttributeKey<>();

  private final KnownHostsFile knownHosts;

  PinningServerKeyVerifier(KnownHostsFile knownHosts) {
    this.knownHosts = knownHosts;
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
    SocketAddress target = session.getConnectAddress();
    if (target == null) {
      target = remoteAddress;
    }
    String host;
    int port;
    if (target instanceof SshdSocketAddress sshd) {
      host = sshd.getHostName();
      port = sshd.getPort();
    } else if (target instanceof java.net.InetSocketAddress inet) {
      host = inet.getHostString();
      port = inet.getPort();
    } else {
      session.setAttribute(
          REFUSAL,
          new RemoteException(RemoteException.Kind.HOST_KEY_CHANGED, "cannot tell which host " + target + " is"));
      return false;
    }
    try {
      knownHosts.check(host, port, serverKey);
      return true;
    } catch (RemoteException e) {
      session.setAttribute(REFUSAL, e);
      return false;
    } catch (RuntimeException e) {
      session.setAttribute(
          REFUSAL,
          new RemoteException(RemoteException.Kind.HOST_KEY_CHANGED, "cannot check the host key: " + e.getMessage(), e));
      return false;
    }
  }
}
