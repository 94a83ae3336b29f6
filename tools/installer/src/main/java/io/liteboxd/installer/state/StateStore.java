package io.liteboxd.installer.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * state.json on disk. Each save writes a temp file beside it (mode 0600: the file names hosts and
 * users) and moves it over the old one, so a crash leaves either the old or the new state whole.
 */
public final class StateStore {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path file;

  public StateStore(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  public Optional<InstallState> load() throws IOException {
    if (!Files.exists(file)) return Optional.empty();
    StateDocument doc = JSON.readValue(file.toFile(), StateDocument.class);
    return Optional.of(new InstallState(doc));
  }

  public synchronized void save(InstallState state) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".state-", ".json.tmp");
      try {
        setOwnerOnly(tmp);
        JSON.writeValue(tmp.toFile(), state.document());
        try {
          Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static void setOwnerOnly(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows): the user's profile directory protects it instead.
    }
  }
}
