package io.liteboxd.installer.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SshHostUnitTest {
  @Test
  void quotesForTheRemoteShell() {
    assertEquals("'/a b/c'", SshHost.quote("/a b/c"));
    assertEquals("'it'\\''s'", SshHost.quote("it's"));
  }

  @Test
  void tailBufferKeepsTheEnd() {
    TailBuffer b = new TailBuffer(8);
    b.write("0123".getBytes(StandardCharsets.UTF_8), 0, 4);
    assertEquals("0123", b.toString());
    b.write("456789".getBytes(StandardCharsets.UTF_8), 0, 6);
    assertEquals("[... 2 bytes dropped ...]\n23456789", b.toString());
    b.write('x');
    b.write("abcdefghijklmnop".getBytes(StandardCharsets.UTF_8), 0, 16);
    assertEquals("[... 19 bytes dropped ...]\nijklmnop", b.toString());
    assertTrue(new TailBuffer(4).toString().isEmpty());
  }
}
