package io.liteboxd.installer.testing;

import io.liteboxd.installer.remote.CommandResult;
import io.liteboxd.installer.remote.HostAccess;
import io.liteboxd.installer.remote.RemoteCommand;
import io.liteboxd.installer.remote.RemoteException;
import io.liteboxd.installer.remote.RemoteHost;
import io.liteboxd.installer.remote.RemoteHosts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-memory machines for the phase tests: every command is recorded and answered by a scripted
 * responder; the number of commands in flight at once is tracked.
 */
public final class FakeHosts implements RemoteHosts {
  /** One command a fake machine received. */
  public record Call(String address, String description, String script, boolean asRoot) {}

  @FunctionalInterface
  public interface Responder {
    CommandResult answer(HostAccess host, RemoteCommand command) throws RemoteException;
  }

  private final Responder responder;
  private final List<Call> calls = new ArrayList<>();
  private final List<String> uploads = new ArrayList<>();
  private final List<String> connects = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  public FakeHosts(Responder responder) {
    this.responder = responder;
  }

  public static CommandResult ok(String stdout) {
    return new CommandResult(0, stdout, "", Duration.ofMillis(1));
  }

  public static CommandResult fail(int code, String stderr) {
    return new CommandResult(code, "", stderr, Duration.ofMillis(1));
  }

  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  public synchronized List<String> descriptions() {
    return calls.stream().map(c -> c.address() + " " + c.description()).toList();
  }

  public synchronized List<String> uploads() {
    return List.copyOf(uploads);
  }

  public synchronized List<String> connects() {
    return List.copyOf(connects);
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  @Override
  public RemoteHost connect(HostAccess access) {
    synchronized (this) {
      connects.add(access.address());
    }
    return new RemoteHost() {
      @Override
      public HostAccess access() {
        return access;
      }

      @Override
      public CommandResult run(RemoteCommand command) throws RemoteException {
        synchronized (FakeHosts.this) {
          calls.add(new Call(access.address(), command.description(), command.script(), command.asRoot()));
        }
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
          return responder.answer(access, command);
        } finally {
          inFlight.decrementAndGet();
        }
      }

      @Override
      public void upload(byte[] content, String path, String mode, boolean asRoot) {
        synchronized (FakeHosts.this) {
          uploads.add(access.address() + " " + path + " " + mode);
        }
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() {}
}
