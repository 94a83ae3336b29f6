package io.liteboxd.installer.ssh;

import io.liteboxd.installer.remote.HostAccess;
import io.liteboxd.installer.remote.RemoteException;
import io.liteboxd.installer.remote.RemoteException.Kind;
import io.liteboxd.installer.remote.RemoteHost;
import io.liteboxd.installer.remote.RemoteHosts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH side of {@link RemoteHosts}: one MINA {@link SshClient} for the whole run, password
 * authentication only, host keys pinned on first use in {@code knownHostsFile} ({@link
 * KnownHostsFile}). {@link #connect} may be called from several threads at once.
 */
public final class SshHosts implements RemoteHosts {
  private static final Logger log = LoggerFactory.getLogger(SshHosts.class);

  private final SshClient client;
  private final KnownHostsFile knownHosts;
  private final Duration connectTimeout;

  public SshHosts(Path knownHostsFile, Duration connectTimeout) {
    this.knownHosts = new KnownHostsFile(knownHostsFile);
    this.connectTimeout = connectTimeout;
    client = SshClient.setUpDefaultClient();
    client.setUserAuthFactories(List.of(UserAuthPasswordFactory.INSTANCE));
    // No keys from ~/.ssh or an agent: the configuration's password is the one credential.
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.setServerKeyVerifier(new PinningServerKeyVerifier(knownHosts));
    // A password is tried once: a wrong one is an error to report, not to retry.
    CoreModuleProperties.PASSWORD_PROMPTS.set(client, 1);
    CoreModuleProperties.AUTH_TIMEOUT.set(client, connectTimeout.multipliedBy(2));
    // Commands may stay silent for many minutes (an image pull): no idle timeout; a dead peer is
    // found by keepalives instead (4 unanswered, 15 s apart: about a minute).
    CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, Duration.ofSeconds(15));
    CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, Duration.ofSeconds(10));
    CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 4);
    // A channel's input waits for the remote window for at most this long (then the write fails):
    // our own deadline per command is what bounds a command.
    CoreModuleProperties.WAIT_FOR_SPACE_TIMEOUT.set(client, Duration.ofMinutes(10));
    client.start();
    if (LoggerFactory.getLogger("org.apache.sshd").isTraceEnabled()) {
      // MINA's TRACE hex-dumps channel data: the scripts and sudo password lines on stdin.
      log.warn("org.apache.sshd logs at TRACE: channel data, sudo passwords included, goes to the log");
    }
  }

  public KnownHostsFile knownHosts() {
    return knownHosts;
  }

  @Override
  public RemoteHost connect(HostAccess access) throws RemoteException {
    ClientSession session = null;
    try {
      ConnectFuture connecting = client.connect(access.user(), access.host(), access.port());
      try {
        if (!connecting.await(connectTimeout)) {
          connecting.cancel();
          throw new RemoteException(
              Kind.UNREACHABLE, access.address() + ": no SSH connection within " + connectTimeout.toSeconds() + " s");
        }
      } catch (IOException e) {
        throw new RemoteException(Kind.UNREACHABLE, access.address() + ": " + describe(e), e);
      }
      Throwable failure = connecting.getException();
      if (failure != null) {
        throw new RemoteException(Kind.UNREACHABLE, access.address() + ": " + describe(failure), failure);
      }
      session = connecting.getSession();
      session.addPasswordIdentity(access.password().reveal());
      try {
        session.auth().verify(connectTimeout.multipliedBy(2));
      } catch (IOException e) {
        throw authFailure(access, session, e);
      }
      log.debug("connected to {} as {}", access.address(), access.user());
      SshHost host = new SshHost(access, session, connectTimeout);
      session = null;
      return host;
    } catch (IOException e) {
      throw new RemoteException(Kind.UNREACHABLE, access.address() + ": " + describe(e), e);
    } finally {
      if (session != null) {
        session.close(true);
      }
    }
  }

  private RemoteException authFailure(HostAccess access, ClientSession session, IOException e) {
    RemoteException refusal = session.getAttribute(PinningServerKeyVerifier.REFUSAL);
    if (refusal != null) {
      return new RemoteException(refusal.kind(), access.address() + ": " + refusal.getMessage(), e);
    }
    String message = String.valueOf(e.getMessage());
    if (e instanceof org.apache.sshd.common.SshException
        && (message.contains("No more authentication methods") || message.contains("authentication"))
        && session.isOpen()) {
      return new RemoteException(
          Kind.AUTH_FAILED, access.address() + ": the password of " + access.user() + " was refused", e);
    }
    if (message.toLowerCase().contains("timeout") || message.toLowerCase().contains("timed out")) {
      return new RemoteException(
          Kind.UNREACHABLE, access.address() + ": no SSH handshake within " + connectTimeout.multipliedBy(2).toSeconds() + " s", e);
    }
    if (!session.isOpen()) {
      return new RemoteException(Kind.UNREACHABLE, access.address() + ": the connection closed during login: " + message, e);
    }
    return new RemoteException(Kind.AUTH_FAILED, access.address() + ": login as " + access.user() + " failed: " + message, e);
  }

  private static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused (is sshd running?)";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host " + t.getMessage();
      }
      if (t instanceof SocketTimeoutException) {
        return "connect timed out";
      }
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public void close() {
    try {
      client.stop();
    } finally {
      try {
        client.close();
      } catch (IOException e) {
        log.debug("closing the SSH client", e);
      }
    }
  }
}
