package io.liteboxd.installer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.installer.config.Secret;
import io.liteboxd.installer.remote.CommandResult;
import io.liteboxd.installer.remote.HostAccess;
import io.liteboxd.installer.remote.RemoteCommand;
import io.liteboxd.installer.remote.RemoteException;
import io.liteboxd.installer.remote.RemoteException.Kind;
import io.liteboxd.installer.remote.RemoteHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SshHosts} against a real sshd + sudo: a test machine of hack/installer/hosts.sh
 * (hack/installer/ssh-test.sh brings one up and runs this class). Enabled by LBX_INSTALLER_HOST
 * (its address); LBX_HOST_PASSWORD is the password of user lbx; LBX_INSTALLER_HOST_NAME (the
 * hosts.sh name) enables the failure injections: sshd stopped, host key changed.
 */
@EnabledIfEnvironmentVariable(named = "LBX_INSTALLER_HOST", matches = ".+")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SshHostsHostTest {
  static final String HOST = System.getenv("LBX_INSTALLER_HOST");
  static final String NAME = System.getenv("LBX_INSTALLER_HOST_NAME");
  static final String PASSWORD =
      System.getenv().getOrDefault("LBX_HOST_PASSWORD", "lbx-test-password");
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  @TempDir static Path dir;
  static SshHosts hosts;
  static RemoteHost host;

  static HostAccess access(String user, String password) {
    return new HostAccess(HOST, 22, user, Secret.of(password), true);
  }

  static RemoteCommand cmd(String script, boolean asRoot) {
    return new RemoteCommand("test", script, asRoot, Duration.ofSeconds(60));
  }

  @BeforeAll
  static void connect() throws Exception {
    hosts = new SshHosts(dir.resolve("state/known_hosts"), CONNECT_TIMEOUT);
    host = hosts.connect(access("lbx", PASSWORD));
  }

  @AfterAll
  static void close() {
    if (host != null) {
      host.close();
    }
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  @Order(1)
  void firstConnectPinnedTheHostKey() throws Exception {
    Path file = dir.resolve("state/known_hosts");
    List<String> lines = Files.readAllLines(file);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith(HOST + " "), lines.get(0));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    // Known now: connections in parallel match it, none appends.
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<RemoteHost>> all = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        all.add(pool.submit(() -> hosts.connect(access("lbx", PASSWORD))));
      }
      for (Future<RemoteHost> f : all) {
        try (RemoteHost h = f.get()) {
          assertEquals("lbx", h.run(cmd("id -un", false)).stdout().strip());
        }
      }
    }
    assertEquals(1, Files.readAllLines(file).size());
  }

  @Test
  @Order(2)
  void runsAsTheUserWithExitCodeAndBothStreams() throws Exception {
    CommandResult r = host.run(cmd("id -un\necho to-err >&2\nhostname\nexit 3", false));
    assertEquals(3, r.exitCode());
    assertEquals("lbx\n" + NAME_OR(r) + "\n", r.stdout());
    assertEquals("to-err\n", r.stderr());
  }

  private static String NAME_OR(CommandResult r) {
    return NAME != null ? NAME : r.stdout().split("\n")[1];
  }

  @Test
  @Order(3)
  void asRootThroughSudoWithAPassword() throws Exception {
    CommandResult r = host.run(cmd("id -u\ncat\necho \"$(whoami) read nothing\"", true));
    assertEquals(0, r.exitCode(), r.stderr());
    // The script's own commands read /dev/null, not the rest of the script.
    assertEquals("0\nroot read nothing\n", r.stdout());
    // sudo really asks lbx for a password on this machine (else this test proves less).
    CommandResult n = host.run(cmd("sudo -k -n true 2>&1; echo rc=$?", false));
    assertTrue(n.stdout().contains("password is required"), n.stdout());
  }

  @Test
  @Order(4)
  void aSecretInAScriptIsNotInTheProcessList() throws Exception {
    String secret = "s3cr3t-" + System.nanoTime();
    CompletableFuture<CommandResult> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return host.run(cmd("TOKEN=" + secret + "\nsleep 4.321\necho ${#TOKEN}", true));
              } catch (RemoteException e) {
                throw new RuntimeException(e);
              }
            });
    String ps = "";
    for (int i = 0; i < 50 && !ps.contains("sleep 4.321"); i++) {
      Thread.sleep(100);
      ps = host.run(cmd("ps -eo user,args", true)).stdout();
    }
    assertTrue(ps.contains("sleep 4.321"), ps);
    assertFalse(ps.contains(secret), ps);
    assertFalse(ps.contains(PASSWORD), ps);
    assertEquals(String.valueOf(secret.length()), running.get().stdout().strip());
  }

  @Test
  @Order(5)
  void aWrongPasswordIsAuthFailed() {
    RemoteException e =
        assertThrows(RemoteException.class, () -> hosts.connect(access("lbx", "not-" + PASSWORD)));
    assertEquals(Kind.AUTH_FAILED, e.kind(), e.getMessage());
    assertFalse(e.getMessage().contains(PASSWORD));
  }

  @Test
  @Order(6)
  void aWrongSudoPasswordIsAuthFailedAndRunsNothing() throws Exception {
    // lbx2 logs in with the password, but sudo wants root's (targetpw): the password is wrong for
    // sudo, right for SSH.
    CommandResult setup =
        host.run(
            cmd(
                "id lbx2 >/dev/null 2>&1 || useradd -m -G sudo lbx2\n"
                    + "echo 'lbx2:"
                    + PASSWORD
                    + "' | chpasswd\n"
                    + "echo 'Defaults:lbx2 targetpw' >/etc/sudoers.d/lbx2\nchmod 0440 /etc/sudoers.d/lbx2\n"
                    + "rm -f /tmp/lbx2-ran",
                true));
    assertEquals(0, setup.exitCode(), setup.stderr());
    try (RemoteHost lbx2 = hosts.connect(access("lbx2", PASSWORD))) {
      RemoteException e =
          assertThrows(RemoteException.class, () -> lbx2.run(cmd("touch /tmp/lbx2-ran", true)));
      assertEquals(Kind.AUTH_FAILED, e.kind(), e.getMessage());
      assertFalse(e.getMessage().contains(PASSWORD));
      assertEquals("lbx2", lbx2.run(cmd("id -un", false)).stdout().strip());
    }
    assertEquals(1, host.run(cmd("test -e /tmp/lbx2-ran", true)).exitCode());
  }

  @Test
  @Order(7)
  void uploadsAsRootWithTheMode() throws Exception {
    host.upload("hello\n".getBytes(), "/etc/lbx-test/sub/file.conf", "0640", true);
    CommandResult r = host.run(cmd("stat -c '%a %U' /etc/lbx-test/sub/file.conf; cat /etc/lbx-test/sub/file.conf; ls -a /etc/lbx-test/sub", true));
    assertEquals("640 root\nhello\n.\n..\nfile.conf\n", r.stdout(), r.stderr());
    // Replaced whole, as the user, into its home.
    host.upload("one".getBytes(), "/home/lbx/x/y.txt", "0600", false);
    host.upload("two".getBytes(), "/home/lbx/x/y.txt", "0644", false);
    assertEquals("644 lbx two", host.run(cmd("stat -c '%a %U' /home/lbx/x/y.txt | tr '\\n' ' '; cat /home/lbx/x/y.txt", false)).stdout());
    // The user cannot write where only root can: an error, no half file.
    assertThrows(java.io.UncheckedIOException.class, () -> host.upload("x".getBytes(), "/etc/lbx-no.conf", "0644", false));
  }

  @Test
  @Order(8)
  void a20MbUploadRoundTrips() throws Exception {
    byte[] content = new byte[20 * 1024 * 1024 + 17];
    new Random(42).nextBytes(content);
    long t0 = System.nanoTime();
    host.upload(content, "/opt/lbx-test/blob.bin", "0755", true);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    CommandResult r = host.run(cmd("sha256sum /opt/lbx-test/blob.bin; stat -c %a /opt/lbx-test/blob.bin", true));
    assertEquals(expected + "  /opt/lbx-test/blob.bin\n755\n", r.stdout());
    System.out.println("20 MiB upload through sudo: " + ms + " ms");
    // The size of a k3s binary, as the user (no sudo): streamed, not buffered twice.
    byte[] big = new byte[70 * 1000 * 1000];
    new Random(7).nextBytes(big);
    t0 = System.nanoTime();
    host.upload(big, "/home/lbx/k3s-like", "0755", false);
    ms = (System.nanoTime() - t0) / 1_000_000;
    expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big));
    assertEquals(expected + "  /home/lbx/k3s-like\n", host.run(cmd("sha256sum /home/lbx/k3s-like; rm /home/lbx/k3s-like", false)).stdout());
    System.out.println("70 MB upload: " + ms + " ms");
  }

  @Test
  @Order(9)
  void aTimeoutStopsTheRemoteProcess() throws Exception {
    for (boolean asRoot : new boolean[] {false, true}) {
      String marker = asRoot ? "301.5" : "301.25";
      long t0 = System.nanoTime();
      RemoteException e =
          assertThrows(
              RemoteException.class,
              () -> host.run(new RemoteCommand("sleeper", "sleep " + marker + " & wait; echo never", asRoot, Duration.ofSeconds(3))));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(Kind.TIMEOUT, e.kind(), e.getMessage());
      assertTrue(ms >= 3000 && ms < 6000, "took " + ms + " ms");
      String left = "";
      for (int i = 0; i < 150; i++) {
        left = host.run(cmd("ps -eo args | grep '^sleep " + marker + "' || true", true)).stdout();
        if (left.isEmpty()) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals("", left, "the timed-out command still runs");
      System.out.println("timed-out command (asRoot=" + asRoot + ") gone after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
  }

  @Test
  @Order(10)
  void largeOutputKeepsTheTail() throws Exception {
    CommandResult r = host.run(cmd("head -c 3000000 /dev/zero | tr '\\0' a; echo; echo the-end", false));
    assertEquals(0, r.exitCode());
    assertTrue(r.stdout().endsWith("a\nthe-end\n"));
    assertTrue(r.stdout().startsWith("[... "), r.stdout().substring(0, 40));
    assertTrue(r.stdout().length() < SshHost.OUTPUT_LIMIT + 100);
  }

  @Test
  @Order(11)
  void aBackgroundProcessHoldingTheOutputDoesNotHoldTheCommand() throws Exception {
    long t0 = System.nanoTime();
    CommandResult r = host.run(cmd("sleep 20.125 &\necho started", false));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, r.exitCode());
    assertEquals("started\n", r.stdout());
    assertTrue(ms < 5000, "took " + ms + " ms");
    host.run(cmd("pkill -f 'sleep 20.125' || true", false));
  }

  @Test
  @Order(20)
  @EnabledIfEnvironmentVariable(named = "LBX_INSTALLER_HOST_NAME", matches = ".+")
  void sshdStoppedIsConnectionLostThenUnreachable() throws Exception {
    try (RemoteHost other = hosts.connect(access("lbx", PASSWORD))) {
      CompletableFuture<RemoteException> running =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  other.run(cmd("sleep 30", false));
                  return null;
                } catch (RemoteException e) {
                  return e;
                }
              });
      Thread.sleep(1000);
      hostsSh("stop-sshd", NAME);
      try {
        RemoteException lost = running.get();
        assertEquals(Kind.CONNECTION_LOST, lost == null ? null : lost.kind(), String.valueOf(lost));
        long t0 = System.nanoTime();
        RemoteException e = assertThrows(RemoteException.class, () -> hosts.connect(access("lbx", PASSWORD)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(Kind.UNREACHABLE, e.kind(), e.getMessage());
        assertTrue(ms < CONNECT_TIMEOUT.toMillis() + 1000, "took " + ms + " ms");
        System.out.println("sshd stopped: " + lost.getMessage() + "; then " + e.getMessage() + " after " + ms + " ms");
      } finally {
        hostsSh("start-sshd", NAME);
      }
    }
    // sshd there but every packet to it dropped: the connect times out.
    hostsSh("drop-ssh", NAME);
    try {
      long t0 = System.nanoTime();
      RemoteException e = assertThrows(RemoteException.class, () -> hosts.connect(access("lbx", PASSWORD)));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(Kind.UNREACHABLE, e.kind(), e.getMessage());
      assertTrue(ms >= CONNECT_TIMEOUT.toMillis() - 100 && ms < CONNECT_TIMEOUT.toMillis() + 1000, "took " + ms + " ms");
      System.out.println("packets dropped: " + e.getMessage() + " after " + ms + " ms");
    } finally {
      hostsSh("undrop-ssh", NAME);
    }
    // An address where no machine is: UNREACHABLE within the connect timeout.
    long t0 = System.nanoTime();
    RemoteException e =
        assertThrows(
            RemoteException.class,
            () -> hosts.connect(new HostAccess("10.77.0.254", 22, "lbx", Secret.of(PASSWORD), true)));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Kind.UNREACHABLE, e.kind(), e.getMessage());
    assertTrue(ms < CONNECT_TIMEOUT.toMillis() + 1000, "took " + ms + " ms");
    System.out.println("no machine: " + e.getMessage() + " after " + ms + " ms");
  }

  @Test
  @Order(25)
  @EnabledIfEnvironmentVariable(named = "LBX_INSTALLER_HOST_NAME", matches = ".+")
  void asRootUserWithoutSudo() throws Exception {
    // Not root and sudo off: asRoot is refused, plain commands run.
    try (RemoteHost noSudo = hosts.connect(new HostAccess(HOST, 22, "lbx", Secret.of(PASSWORD), false))) {
      assertEquals("lbx", noSudo.run(cmd("id -un", false)).stdout().strip());
      RemoteException e = assertThrows(RemoteException.class, () -> noSudo.run(cmd("id -u", true)));
      assertEquals(Kind.AUTH_FAILED, e.kind(), e.getMessage());
    }
    // Root logs in itself (allowed for this test only): no sudo in between.
    // (A fresh session: the sshd restart of the test before ended the shared one.)
    CommandResult allow;
    try (RemoteHost h = hosts.connect(access("lbx", PASSWORD))) {
      allow =
        h.run(
            cmd(
                "echo 'PermitRootLogin yes' >/etc/ssh/sshd_config.d/00-lbx-test-root.conf\n"
                    + "echo 'root:" + PASSWORD + "' | chpasswd\nusermod -U root",
                true));
    }
    assertEquals(0, allow.exitCode(), allow.stderr());
    hostsSh("stop-sshd", NAME);
    hostsSh("start-sshd", NAME);
    try {
      try (RemoteHost root = hosts.connect(new HostAccess(HOST, 22, "root", Secret.of(PASSWORD), false))) {
        CommandResult r = root.run(cmd("id -u; ps -o args= -p $PPID", true));
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stdout().startsWith("0\n"), r.stdout());
        assertFalse(r.stdout().contains("sudo"), r.stdout());
        root.upload("r".getBytes(), "/root/lbx-test/r.txt", "0600", true);
        assertEquals("600 root r", root.run(cmd("stat -c '%a %U' /root/lbx-test/r.txt | tr '\\n' ' '; cat /root/lbx-test/r.txt", false)).stdout());
        assertEquals(Kind.TIMEOUT, assertThrows(RemoteException.class, () -> root.run(new RemoteCommand("s", "sleep 30", true, Duration.ofSeconds(1)))).kind());
      }
    } finally {
      try (RemoteHost again = hosts.connect(access("lbx", PASSWORD))) {
        again.run(cmd("rm -f /etc/ssh/sshd_config.d/00-lbx-test-root.conf; usermod -L root", true));
      }
      hostsSh("stop-sshd", NAME);
      hostsSh("start-sshd", NAME);
    }
    assertEquals(
        Kind.AUTH_FAILED,
        assertThrows(RemoteException.class, () -> hosts.connect(new HostAccess(HOST, 22, "root", Secret.of(PASSWORD), false))).kind());
  }

  @Test
  @Order(30)
  @EnabledIfEnvironmentVariable(named = "LBX_INSTALLER_HOST_NAME", matches = ".+")
  void aChangedHostKeyIsRefused() throws Exception {
    hostsSh("new-host-keys", NAME);
    RemoteException e = assertThrows(RemoteException.class, () -> hosts.connect(access("lbx", PASSWORD)));
    assertEquals(Kind.HOST_KEY_CHANGED, e.kind(), e.getMessage());
    assertTrue(e.getMessage().contains(dir.resolve("state/known_hosts") + " line 1"), e.getMessage());
    System.out.println("key changed: " + e.getMessage());
    // A fresh known-hosts file pins the new key.
    try (SshHosts fresh = new SshHosts(dir.resolve("other/known_hosts"), CONNECT_TIMEOUT);
        RemoteHost h = fresh.connect(access("lbx", PASSWORD))) {
      assertEquals(0, h.run(cmd("true", true)).exitCode());
    }
  }

  @Test
  @Order(31)
  @EnabledIfEnvironmentVariable(named = "LBX_INSTALLER_HOST_NAME", matches = ".+")
  void aServerWithOnlyAnEd25519HostKeyIsPinnedAndUsed() throws Exception {
    hostsSh("new-host-keys", NAME, "ed25519");
    Path file = dir.resolve("ed25519/known_hosts");
    try (SshHosts fresh = new SshHosts(file, CONNECT_TIMEOUT);
        RemoteHost h = fresh.connect(access("lbx", PASSWORD))) {
      assertEquals("root", h.run(cmd("id -un", true)).stdout().strip());
    }
    List<String> lines = Files.readAllLines(file);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).startsWith(HOST + " ssh-ed25519 "), lines.get(0));
    // Pinned: the same key again is accepted, a new one refused.
    try (SshHosts again = new SshHosts(file, CONNECT_TIMEOUT);
        RemoteHost h = again.connect(access("lbx", PASSWORD))) {
      assertEquals(0, h.run(cmd("true", false)).exitCode());
    }
    hostsSh("new-host-keys", NAME, "ed25519");
    try (SshHosts changed = new SshHosts(file, CONNECT_TIMEOUT)) {
      RemoteException e = assertThrows(RemoteException.class, () -> changed.connect(access("lbx", PASSWORD)));
      assertEquals(Kind.HOST_KEY_CHANGED, e.kind(), e.getMessage());
    }
  }

  static void hostsSh(String... args) throws IOException, InterruptedException {
    Path script = Path.of(System.getProperty("user.dir")).resolve("../../hack/installer/hosts.sh").normalize();
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertEquals(0, p.waitFor(), "hosts.sh " + String.join(" ", args));
  }
}
