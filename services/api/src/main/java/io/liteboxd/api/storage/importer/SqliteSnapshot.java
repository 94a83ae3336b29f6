package io.liteboxd.api.storage.importer;

import io.liteboxd.api.storage.Migrations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/**
 * A private copy of the SQLite file to import, at the current schema. The source is only read
 * (it may be a read-only mount, and it must stay as it was, e.g. to go back to SQLite mode): the
 * file is copied with its {@code -wal} (committed writes not yet checkpointed) and
 * {@code -journal} (a hot journal to roll back) into a temporary directory, and the copy is
 * migrated with the API's own SQLite migrations, so a file upstream made works as well as one
 * this API wrote. {@link #close()} deletes the copy.
 */
final class SqliteSnapshot implements AutoCloseable {

    private static final String[] COMPANIONS = {"-wal", "-journal"};

    private final Path dir;
    private final Path file;

    private SqliteSnapshot(Path dir, Path file) {
        this.dir = dir;
        this.file = file;
    }

    static SqliteSnapshot of(Path source) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(source.toString(), null, "no SQLite database file there");
        }
        Path dir = Files.createTempDirectory("liteboxd-import-");
        SqliteSnapshot snapshot = new SqliteSnapshot(dir, dir.resolve("liteboxd.db"));
        try {
            Files.copy(source, snapshot.file);
            for (String suffix : COMPANIONS) {
                Path companion = source.resolveSibling(source.getFileName() + suffix);
                if (Files.isRegularFile(companion)) {
                    Files.copy(companion, dir.resolve(snapshot.file.getFileName() + suffix));
                }
            }
            Flyway.configure()
                    .dataSource(snapshot.url(), null, null)
                    .locations(Migrations.SQLITE.toArray(String[]::new))
                    .baselineOnMigrate(true)
                    .baselineVersion(Migrations.SQLITE_BASELINE_VERSION)
                    .load()
                    .migrate();
            return snapshot;
        } catch (RuntimeException | IOException e) {
            snapshot.close();
            throw e;
        }
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url());
    }

    private String url() {
        return "jdbc:sqlite:" + file;
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the import's copy in " + dir, e);
        }
    }
}
