package io.liteboxd.api.storage.importer;

import io.liteboxd.api.storage.Migrations;
import io.liteboxd.api.storage.TransactionLock.Scope;
import io.liteboxd.api.storage.importer.ImportedTables.Table;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-shot move from SQLite to Postgres mode (docs/database.md):
 * {@code SqliteImport /path/to/liteboxd.db}, into the database of {@code DATABASE_URL},
 * {@code DATABASE_USERNAME} and {@code DATABASE_PASSWORD}.
 *
 * <p>Safe to run again and from several pods at once (the chart runs it before each API pod): it
 * holds a Postgres advisory lock throughout, migrates Postgres, and does nothing if an import is on
 * record already (exit 0). Postgres holding LiteBoxd rows that no import wrote is refused (exit 2):
 * the two databases would have to be merged by hand. Otherwise a migrated copy of the SQLite file
 * ({@link SqliteSnapshot}) is copied table by table in one transaction that also records the
 * import, so it happens completely or not at all. Any other failure: exit 1, nothing written.
 */
public final class SqliteImport {

    static final int IMPORTED = 0;
    static final int FAILED = 1;
    static final int REFUSED = 2;

    private static final Logger LOG = LoggerFactory.getLogger(SqliteImport.class);

    private final Path source;
    private final ImportTarget target;

    SqliteImport(Path source, ImportTarget target) {
        this.source = source;
        this.target = target;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    /** The exit code: {@link #IMPORTED} (now or before), {@link #REFUSED}, or {@link #FAILED}. */
    static int run(String[] args, Map<String, String> env) {
        if (args.length != 1 || args[0].isBlank()) {
            LOG.error("usage: SqliteImport /path/to/liteboxd.db (into DATABASE_URL as DATABASE_USERNAME with "
                    + "DATABASE_PASSWORD)");
            return FAILED;
        }
        try {
            new SqliteImport(Path.of(args[0]), ImportTarget.of(env)).importOnce();
            return IMPORTED;
        } catch (ImportRefused e) {
            LOG.error(e.getMessage());
            return REFUSED;
        } catch (Exception e) {
            LOG.error("import of {} failed, no rows were written: {}", args[0], e.toString(), e);
            return FAILED;
        }
    }

    void importOnce() throws Exception {
        if (!Files.isRegularFile(source)) {
            // Before Postgres is touched: a wrong path is a mistake in the deployment, not "nothing to import".
            throw new NoSuchFileException(source.toString(), null, "no SQLite database file there");
        }
        try (Connection postgres = target.connect()) {
            LOG.info("waiting for the import lock on {}", target);
            try (PreparedStatement lock = postgres.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
                lock.setInt(1, Scope.NAMESPACE);
                lock.setInt(2, Scope.SQLITE_IMPORT.key());
                lock.execute();
            }
            // The session lock goes with the connection, whatever happens below.
            Flyway.configure()
                    .dataSource(target.url(), target.username().isEmpty() ? null : target.username(),
                            target.password().isEmpty() ? null : target.password())
                    .locations(Migrations.POSTGRES.toArray(String[]::new))
                    .load()
                    .migrate();
            postgres.setAutoCommit(false);
            Optional<ImportMarker> done = ImportMarker.find(postgres);
            if (done.isPresent()) {
                LOG.info("nothing to do: {} was imported into {} at {} ({})", done.get().sourceFile(), target,
                        done.get().importedAt(), done.get().rowCounts());
                postgres.rollback();
                return;
            }
            try {
                refuseIfHoldingData(postgres);
                Map<String, Long> counts = copy(postgres);
                ImportMarker.record(postgres, source.toString(), counts);
                postgres.commit();
                LOG.info("imported {} into {}: {}", source, target, counts);
            } catch (Exception e) {
                postgres.rollback();
                throw e;
            }
        }
    }

    private void refuseIfHoldingData(Connection postgres) throws SQLException, ImportRefused {
        List<String> holding = new ArrayList<>();
        for (Table table : ImportedTables.ALL) {
            long rows = TableCopy.count(postgres, table.name());
            if (rows > 0) {
                holding.add(table.name() + " " + rows);
            }
        }
        if (!holding.isEmpty()) {
            throw new ImportRefused("refusing to import " + source + ": " + target + " already holds LiteBoxd data "
                    + "that no import wrote (rows: " + String.join(", ", holding) + "). Importing would mix two "
                    + "installations; import into an empty database, or run without the import.");
        }
    }

    private Map<String, Long> copy(Connection postgres) throws Exception {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (SqliteSnapshot snapshot = SqliteSnapshot.of(source); Connection sqlite = snapshot.connect()) {
            checkNoUnknownTables(sqlite);
            for (Table table : ImportedTables.ALL) {
                TableCopy.Counts copied = TableCopy.copy(table, sqlite, postgres);
                counts.put(table.name(), copied.copied());
                LOG.info("copied {} rows of {}", copied.copied(), table.name());
                if (copied.orphans() > 0) {
                    LOG.warn("left out {} rows of {} whose {} row is gone (upstream did not enforce foreign keys)",
                            copied.orphans(), table.name(), table.parent());
                }
            }
        }
        return counts;
    }

    /** A table this version does not know would be left behind silently: stop instead. */
    private static void checkNoUnknownTables(Connection sqlite) throws SQLException {
        Set<String> unknown = new HashSet<>();
        try (Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
            while (rows.next()) {
                unknown.add(rows.getString(1));
            }
        }
        unknown.removeAll(ImportedTables.names());
        unknown.removeAll(ImportedTables.NOT_DATA);
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("the SQLite file has tables this version cannot import: " + unknown);
        }
    }
}
