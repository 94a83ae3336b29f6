package io.liteboxd.installer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.installer.remote.RemoteException;
import io.liteboxd.installer.remote.RemoteException.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsFileTest {
  @TempDir Path dir;

  static PublicKey ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    return g.generateKeyPair().getPublic();
  }

  static PublicKey rsaKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair().getPublic();
  }

  @Test
  void pinsOnFirstUseInAnOwnerOnlyFileAndMatchesAfter() throws Exception {
    Path file = dir.resolve("a/b/known_hosts");
    KnownHostsFile known = new KnownHostsFile(file);
    PublicKey key = ecKey();
    assertEquals(KnownHostsFile.Verdict.ADDED, known.check("10.0.0.5", 22, key));
    assertEquals(KnownHostsFile.Verdict.MATCHED, known.check("10.0.0.5", 22, key));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    List<String> lines = Files.readAllLines(file);
    assertEquals(1, lines.size());
    assertTrue(lines.get(0).startsWith("10.0.0.5 ecdsa-sha2-nistp256 AAAA"), lines.get(0));
    // A new instance (the next run) reads what the first wrote.
    assertEquals(KnownHostsFile.Verdict.MATCHED, new KnownHostsFile(file).check("10.0.0.5", 22, key));
  }

  @Test
  void theHostTokenIsOpenSshs() {
    assertEquals("h", KnownHostsFile.hostToken("h", 22));
    assertEquals("[h]:2222", KnownHostsFile.hostToken("h", 2222));
  }

  @Test
  void portsAreDifferentMachines() throws Exception {
    Path file = dir.resolve("known_hosts");
    KnownHostsFile known = new KnownHostsFile(file);
    PublicKey a = ecKey();
    PublicKey b = ecKey();
    known.check("h", 22, a);
    assertEquals(KnownHostsFile.Verdict.ADDED, known.check("h", 2222, b));
    assertEquals(KnownHostsFile.Verdict.MATCHED, known.check("h", 2222, b));
    assertTrue(Files.readAllLines(file).get(1).startsWith("[h]:2222 "));
  }

  @Test
  void aDifferentKeyIsRefusedNamingTheFileAndLine() throws Exception {
    Path file = dir.resolve("known_hosts");
    Files.writeString(file, "# comment\n\nother ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3X\n");
    KnownHostsFile known = new KnownHostsFile(file);
    known.check("h", 22, ecKey());
    RemoteException e = assertThrows(RemoteException.class, () -> known.check("h", 22, ecKey()));
    assertEquals(Kind.HOST_KEY_CHANGED, e.kind());
    assertTrue(e.getMessage().contains(file.toAbsolutePath() + " line 4"), e.getMessage());
    assertTrue(e.getMessage().contains("SHA256:"), e.getMessage());
    // Another key type for a pinned machine is refused too (no silent second pin).
    assertEquals(Kind.HOST_KEY_CHANGED, assertThrows(RemoteException.class, () -> known.check("h", 22, rsaKey())).kind());
    assertEquals(4, Files.readAllLines(file).size());
  }

  @Test
  void readsOpenSshLinesWithSeveralHostsAndSkipsMarkersAndHashes() throws Exception {
    PublicKey key = ecKey();
    String k = KnownHostsFile.keyString(key);
    Path file = dir.resolve("known_hosts");
    Files.writeString(
        file,
        "@revoked h " + KnownHostsFile.keyString(ecKey()) + "\n"
            + "|1|abc=|def= " + KnownHostsFile.keyString(ecKey()) + "\n"
            + "a,h,[h]:2222 " + k + " a comment\n");
    KnownHostsFile known = new KnownHostsFile(file);
    assertEquals(KnownHostsFile.Verdict.MATCHED, known.check("h", 22, key));
    assertEquals(KnownHostsFile.Verdict.MATCHED, known.check("h", 2222, key));
    assertEquals(KnownHostsFile.Verdict.MATCHED, known.check("a", 22, key));
  }

  @Test
  void aFileWithoutTheFinalNewlineGetsAWholeLine() throws Exception {
    Path file = dir.resolve("known_hosts");
    PublicKey old = ecKey();
    Files.writeString(file, "old " + KnownHostsFile.keyString(old));
    KnownHostsFile known = new KnownHostsFile(file);
    known.check("new", 22, ecKey());
    List<String> lines = Files.readAllLines(file);
    assertEquals(2, lines.size());
    assertEquals(KnownHostsFile.Verdict.MATCHED, known.check("old", 22, old));
  }

  @Test
  void concurrentFirstConnectionsWriteWholeLinesOncePerMachine() throws Exception {
    Path file = dir.resolve("known_hosts");
    KnownHostsFile known = new KnownHostsFile(file);
    int machines = 8;
    List<PublicKey> keys = new ArrayList<>();
    for (int i = 0; i < machines; i++) {
      keys.add(ecKey());
    }
    List<Callable<KnownHostsFile.Verdict>> calls = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      for (int i = 0; i < machines; i++) {
        int m = i;
        calls.add(() -> known.check("10.0.0." + m, 22, keys.get(m)));
      }
    }
    int added = 0;
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (Future<KnownHostsFile.Verdict> f : pool.invokeAll(calls)) {
        if (f.get() == KnownHostsFile.Verdict.ADDED) {
          added++;
        }
      }
    }
    assertEquals(machines, added);
    List<String> lines = Files.readAllLines(file);
    assertEquals(machines, lines.size());
    assertEquals(machines, new HashSet<>(lines).size());
    for (int i = 0; i < machines; i++) {
      assertTrue(lines.contains("10.0.0." + i + " " + KnownHostsFile.keyString(keys.get(i))));
    }
  }
}
