package db.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Brings {@code sandboxes} and {@code api_keys} to the current upstream layout whatever their
 * age: upstream added these columns in code at start-up (PRAGMA table_info, then ALTER TABLE for
 * what is missing), so a file written by an older upstream lacks some of them. SQLite has no
 * {@code ADD COLUMN IF NOT EXISTS}, hence Java. Also creates the indexes upstream has and swaps
 * an old non-unique {@code key_hash} index for a unique one.
 *
 * <p>SQLite only (db/README.md). It lived in package {@code db.migration} before Postgres came; the
 * class name must stay as it is: Flyway takes version and description from it, a Java migration has
 * no checksum, and the package (the history's {@code script} column) is not validated, so histories
 * recorded under the old package still validate.
 */
public class V2__upstream_late_columns extends BaseJavaMigration {

    private static final Map<String, String> SANDBOX_COLUMNS = new LinkedHashMap<>();

    static {
        SANDBOX_COLUMNS.put("persistence_enabled", "BOOLEAN NOT NULL DEFAULT 0");
        SANDBOX_COLUMNS.put("persistence_mode", "TEXT NOT NULL DEFAULT ''");
        SANDBOX_COLUMNS.put("persistence_size", "TEXT NOT NULL DEFAULT ''");
        SANDBOX_COLUMNS.put("storage_class_name", "TEXT NOT NULL DEFAULT ''");
        SANDBOX_COLUMNS.put("volume_claim_name", "TEXT NOT NULL DEFAULT ''");
        SANDBOX_COLUMNS.put("volume_reclaim_policy", "TEXT NOT NULL DEFAULT ''");
        SANDBOX_COLUMNS.put("runtime_kind", "TEXT NOT NULL DEFAULT 'pod'");
        SANDBOX_COLUMNS.put("runtime_name", "TEXT NOT NULL DEFAULT ''");
        SANDBOX_COLUMNS.put("stopped_at", "TIMESTAMP");
        SANDBOX_COLUMNS.put("deletion_phase", "TEXT NOT NULL DEFAULT ''");
        SANDBOX_COLUMNS.put("deletion_started_at", "TIMESTAMP");
        SANDBOX_COLUMNS.put("deletion_last_attempt_at", "TIMESTAMP");
        SANDBOX_COLUMNS.put("deletion_next_retry_at", "TIMESTAMP");
        SANDBOX_COLUMNS.put("deletion_attempts", "INTEGER NOT NULL DEFAULT 0");
        SANDBOX_COLUMNS.put("deletion_force_level", "INTEGER NOT NULL DEFAULT 0");
        SANDBOX_COLUMNS.put("deletion_last_error", "TEXT NOT NULL DEFAULT ''");
    }

    private static final String[] SANDBOX_INDEXES = {
        "lifecycle_status", "desired_state", "expires_at", "last_seen_at", "template_name", "access_token_sha256",
    };

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            Set<String> existing = columns(statement, "sandboxes");
            for (var column : SANDBOX_COLUMNS.entrySet()) {
                if (!existing.contains(column.getKey())) {
                    statement.execute("ALTER TABLE sandboxes ADD COLUMN " + column.getKey() + " " + column.getValue());
                }
            }
            for (String column : SANDBOX_INDEXES) {
                statement.execute("CREATE INDEX IF NOT EXISTS idx_sandboxes_" + column + " ON sandboxes(" + column + ")");
            }
            for (String index : nonUniqueIndexesOn(statement, "api_keys", "key_hash")) {
                statement.execute("DROP INDEX \"" + index.replace("\"", "\"\"") + "\"");
            }
            statement.execute("CREATE UNIQUE INDEX IF NOT EXISTS idx_api_keys_key_hash_unique ON api_keys(key_hash)");
        }
    }

    private static Set<String> columns(Statement statement, String table) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rows = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rows.next()) {
                names.add(rows.getString("name"));
            }
        }
        return names;
    }

    private static Set<String> nonUniqueIndexesOn(Statement statement, String table, String column)
            throws SQLException {
        Map<String, Boolean> indexes = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery("PRAGMA index_list(" + table + ")")) {
            while (rows.next()) {
                indexes.put(rows.getString("name"), rows.getInt("unique") == 1);
            }
        }
        Set<String> matching = new HashSet<>();
        for (var index : indexes.entrySet()) {
            if (index.getValue()) {
                continue;
            }
            try (ResultSet cols = statement.executeQuery("PRAGMA index_info(\"" + index.getKey().replace("\"", "\"\"") + "\")")) {
                if (cols.next() && column.equals(cols.getString("name")) && !cols.next()) {
                    matching.add(index.getKey());
                }
            }
        }
        return matching;
    }
}
