package io.liteboxd.installer.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  @TempDir Path dir;
  static final List<String> ORDER = List.of("preflight", "k3s-server", "agents", "liteboxd");

  @Test
  void savesAtomicallyOwnerOnlyAndReloads() throws Exception {
    StateStore store = new StateStore(dir.resolve("c/state.json"));
    InstallState s = new InstallState("c", "fp1");
    s.set("preflight", null, StepRecord.of(StepStatus.DONE, "ok", "a"));
    s.set("preflight", "10.0.0.1:22", StepRecord.of(StepStatus.DONE, "x86_64", "b"));
    s.set("k3s-server", null, StepRecord.of(StepStatus.FAILED, "boom", "c"));
    s.markJoined(new JoinedAgent("10.0.0.11", "10.0.0.11", 22, "lbx", true, "LBX_PW"));
    store.save(s);
    store.save(s);
    try (Stream<Path> files = Files.list(dir.resolve("c"))) {
      assertEquals(List.of("state.json"), files.map(p -> p.getFileName().toString()).toList());
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())));
    InstallState back = store.load().orElseThrow();
    assertEquals(s.document(), back.document());
    assertEquals("fp1", back.configFingerprint());
    assertEquals("x86_64", back.get("preflight", "10.0.0.1:22").orElseThrow().message());
    assertEquals(Map.of("10.0.0.11:22", new JoinedAgent("10.0.0.11", "10.0.0.11", 22, "lbx", true, "LBX_PW")),
        back.joinedAgents());
  }

  @Test
  void aStateFileFromBeforeJoinedAgentsLoadsWithNone() throws Exception {
    StateStore store = new StateStore(dir.resolve("old/state.json"));
    Files.createDirectories(store.file().getParent());
    Files.writeString(store.file(), """
        {"schema": 1, "cluster": "c", "configFingerprint": "fp",
         "phases": {"agents": {"phase": {"status": "DONE", "message": "1 agents", "updatedAt": "x", "fingerprint": "f"},
                               "nodes": {}}}}
        """);
    InstallState back = store.load().orElseThrow();
    assertTrue(back.joinedAgents().isEmpty());
    assertEquals(StepStatus.DONE, back.get("agents", null).orElseThrow().status());
  }

  @Test
  void missingFileIsEmpty() throws Exception {
    assertTrue(new StateStore(dir.resolve("nope.json")).load().isEmpty());
  }

  @Test
  void firstUnfinishedIsTheFirstNotDoneOrSkipped() {
    InstallState s = new InstallState("c", "fp");
    assertEquals("preflight", s.firstUnfinished(ORDER).orElseThrow());
    s.set("preflight", null, StepRecord.of(StepStatus.DONE, "", null));
    s.set("k3s-server", null, StepRecord.of(StepStatus.SKIPPED, "", null));
    s.set("agents", null, StepRecord.of(StepStatus.FAILED, "", null));
    assertEquals("agents", s.firstUnfinished(ORDER).orElseThrow());
    s.set("agents", null, StepRecord.of(StepStatus.DONE, "", null));
    s.set("liteboxd", null, StepRecord.of(StepStatus.DONE, "", null));
    assertTrue(s.firstUnfinished(ORDER).isEmpty());
  }

  @Test
  void removeNodeForgetsItEverywhere() {
    InstallState s = new InstallState("c", "fp");
    s.set("preflight", "a:22", StepRecord.of(StepStatus.DONE, "", null));
    s.set("agents", "a:22", StepRecord.of(StepStatus.DONE, "", null));
    s.set("agents", "b:22", StepRecord.of(StepStatus.DONE, "", null));
    s.markJoined(new JoinedAgent("10.0.0.11", "a", 22, "root", false, null));
    s.markJoined(new JoinedAgent("10.0.0.12", "b", 22, "root", false, null));
    s.removeNode("a:22");
    assertTrue(s.get("preflight", "a:22").isEmpty());
    assertTrue(s.get("agents", "a:22").isEmpty());
    assertTrue(s.get("agents", "b:22").isPresent());
    assertEquals(List.of("b:22"), List.copyOf(s.joinedAgents().keySet()));
  }
}
