package io.liteboxd.api.storage.importer;

import io.liteboxd.api.storage.importer.ImportedTables.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Copies one table's rows from the SQLite snapshot into Postgres, inside the caller's transaction. */
final class TableCopy {

    private static final int BATCH = 500;

    /** Rows written, and rows left behind because their parent row is missing. */
    record Counts(long copied, long orphans) {}

    private TableCopy() {}

    static Counts copy(Table table, Connection sqlite, Connection postgres) throws SQLException {
        Map<String, ColumnType> target = postgresColumns(postgres, table.name());
        List<String> columns = sqliteColumns(sqlite, table.name());
        for (String column : columns) {
            if (!target.containsKey(column)) {
                throw new IllegalStateException("column " + table.name() + "." + column
                        + " of the SQLite file has no place in the Postgres schema");
            }
        }
        String list = String.join(", ", columns);
        String select = "SELECT " + list + " FROM " + table.name()
                + (table.parent() == null ? ""
                        : " WHERE " + table.parentColumn() + " IN (SELECT id FROM " + table.parent() + ")")
                + " ORDER BY id";
        String insert = "INSERT INTO " + table.name() + " (" + list + ") VALUES ("
                + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
        long copied = 0;
        try (Statement read = sqlite.createStatement();
             ResultSet rows = read.executeQuery(select);
             PreparedStatement write = postgres.prepareStatement(insert)) {
            while (rows.next()) {
                String where = table.name() + " row " + rows.getString("id");
                for (int i = 1; i <= columns.size(); i++) {
                    target.get(columns.get(i - 1)).copy(rows, write, i, where + ", column " + columns.get(i - 1));
                }
                write.addBatch();
                if (++copied % BATCH == 0) {
                    write.executeBatch();
                }
            }
            write.executeBatch();
        }
        long orphans = count(sqlite, table.name()) - copied;
        if (table.identity()) {
            restartIdentity(postgres, table.name());
        }
        return new Counts(copied, orphans);
    }

    /** The identity goes on after the highest copied id, so the API's next insert does not collide. */
    private static void restartIdentity(Connection postgres, String table) throws SQLException {
        try (Statement statement = postgres.createStatement()) {
            statement.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), "
                    + "COALESCE(MAX(id), 0) + 1, false) FROM " + table);
        }
    }

    static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
            count.next();
            return count.getLong(1);
        }
    }

    private static Map<String, ColumnType> postgresColumns(Connection postgres, String table) throws SQLException {
        Map<String, ColumnType> columns = new LinkedHashMap<>();
        try (PreparedStatement query = postgres.prepareStatement("""
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position""")) {
            query.setString(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.put(rows.getString(1), ColumnType.of(table, rows.getString(1), rows.getString(2)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("the Postgres schema has no table " + table);
        }
        return columns;
    }

    private static List<String> sqliteColumns(Connection sqlite, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (Statement statement = sqlite.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (rows.next()) {
                columns.add(rows.getString("name"));
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("the SQLite file has no table " + table + " even after its migrations");
        }
        return columns;
    }
}
