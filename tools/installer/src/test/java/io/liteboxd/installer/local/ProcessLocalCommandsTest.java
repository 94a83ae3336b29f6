package io.liteboxd.installer.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.installer.remote.CommandResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs /bin/sh on this machine: no network, no cluster. */
class ProcessLocalCommandsTest {
  private final ProcessLocalCommands local = new ProcessLocalCommands(Path.of("/tmp/kc"));

  @Test
  void capturesExitOutputAndSetsKubeconfig() throws IOException {
    CommandResult r = local.run(new LocalCommand("t",
        List.of("sh", "-c", "echo \"$KUBECONFIG\"; echo oops >&2; exit 3"), Duration.ofSeconds(20)));
    assertEquals(3, r.exitCode());
    assertEquals("/tmp/kc\n", r.stdout());
    assertEquals("oops\n", r.stderr());
  }

  @Test
  void aCommandPastItsTimeoutIsKilled() {
    IOException e = assertThrows(IOException.class, () -> local.run(new LocalCommand("hang",
        List.of("sh", "-c", "exec sleep 30"), Duration.ofMillis(300))));
    assertTrue(e.getMessage().contains("hang: timed out"), e.getMessage());
  }

  @Test
  void findsProgramsOnPath() {
    assertTrue(local.onPath("sh"));
    assertFalse(local.onPath("no-such-program-liteboxd"));
  }

  @Test
  void commandLineQuotesWhatAShellWouldSplit() {
    assertEquals("helm --set 'a=b c' 'it'\\''s' x=y",
        new LocalCommand("d", List.of("helm", "--set", "a=b c", "it's", "x=y"), Duration.ZERO).commandLine());
  }
}
