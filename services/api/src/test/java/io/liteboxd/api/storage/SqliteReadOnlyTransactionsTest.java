package io.liteboxd.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.api.template.TemplateRepository;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sqlite.JDBC;

/**
 * SQLite mode, the application's own URL and pool: a read-only transaction takes no lock, so it
 * runs while another process holds the database's write lock (an old API pod during a rollout);
 * a read-write transaction on the same pooled connection still begins IMMEDIATE, and when that
 * BEGIN is refused (SQLITE_BUSY) the connection still works afterwards.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SqliteReadOnlyTransactionsTest implements SqliteTestDatabase {

    @Inject TransactionOperations<Connection> transactions;
    @Inject TemplateRepository templates;

    private Path file;

    @Override
    public void prepare(Path databaseFile) {
        file = databaseFile;
    }

    @Override
    public Map<String, String> extraProperties() {
        // One connection, so the write below runs on the connection the read-only one used.
        return Map.of("datasources.default.maximum-pool-size", "1");
    }

    /** Another process's connection holding the write lock (BEGIN IMMEDIATE) until closed. */
    private Connection writeLockHolder() throws Exception {
        Connection holder = new JDBC().connect("jdbc:sqlite:" + file + "?journal_mode=WAL", new Properties());
        try (Statement s = holder.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
        }
        return holder;
    }

    @Test
    void readsRunBesideAWriterWritesBeginImmediateAndARefusedBeginLeavesTheConnectionUsable() throws Exception {
        try (Connection holder = writeLockHolder()) {
            long started = System.nanoTime();
            long count = transactions.executeRead(status -> templates.count());
            assertEquals(0, count);
            // Not after the 5 s busy timeout: it never waited for the lock.
            assertTrue(System.nanoTime() - started < 2_000_000_000L, "the read waited for the write lock");

            // A read-write transaction takes the write lock as it begins, even if it only reads
            // first: with the lock held elsewhere it fails after the busy timeout (SQLITE_BUSY).
            Exception busy = assertThrows(Exception.class, () -> transactions.executeWrite(status -> templates.count()));
            assertTrue(String.valueOf(rootMessage(busy)).contains("SQLITE_BUSY"), String.valueOf(rootMessage(busy)));
        }
        // The one pooled connection, whose BEGIN was refused above, begins and commits again.
        assertEquals(0L, (long) transactions.executeWrite(status -> templates.count()));
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
