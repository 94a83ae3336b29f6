package io.liteboxd.installer.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.liteboxd.installer.config.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactorTest {
  @TempDir Path dir;

  @Test
  void masksLongestFirst() {
    Redactor r = new Redactor();
    r.add(Secret.of("abc"));
    r.add("abcdef");
    r.add("");
    assertEquals("x ****** y ******", r.redact("x abcdef y abc"));
  }

  @Test
  void consoleAndFileAreMasked() throws Exception {
    Redactor r = new Redactor();
    r.add(Secret.of("hunter2"));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Path file = dir.resolve("l.log");
    try (InstallLog log = new InstallLog(r, new PrintStream(console, true), file, false)) {
      log.info("password hunter2");
      log.detail("detail hunter2");
      log.error("error hunter2");
      log.command("h:22", "cmd", 1, Duration.ZERO, "out hunter2", "err hunter2");
    }
    String all = console + Files.readString(file);
    assertFalse(all.contains("hunter2"), all);
    assertFalse(console.toString().contains("detail"), "details go to the file only without -v");
  }
}
