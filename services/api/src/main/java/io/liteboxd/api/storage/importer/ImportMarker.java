package io.liteboxd.api.storage.importer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The row of {@code liteboxd_sqlite_import} (db/postgres V1): written in the import's own
 * transaction, so it exists exactly when the copied rows do.
 */
record ImportMarker(String sourceFile, OffsetDateTime importedAt, String rowCounts) {

    static Optional<ImportMarker> find(Connection postgres) throws SQLException {
        try (Statement statement = postgres.createStatement();
             ResultSet row = statement.executeQuery(
                     "SELECT source_file, imported_at, row_counts FROM liteboxd_sqlite_import WHERE id = 1")) {
            if (!row.next()) {
                return Optional.empty();
            }
            return Optional.of(new ImportMarker(row.getString(1), row.getObject(2, OffsetDateTime.class),
                    row.getString(3)));
        }
    }

    /** {@code counts}: rows copied per table, kept as a JSON object. */
    static void record(Connection postgres, String sourceFile, Map<String, Long> counts) throws SQLException {
        String json = counts.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
        try (PreparedStatement insert = postgres.prepareStatement(
                "INSERT INTO liteboxd_sqlite_import (id, source_file, row_counts) VALUES (1, ?, ?)")) {
            insert.setString(1, sourceFile);
            insert.setString(2, json);
            insert.executeUpdate();
        }
    }
}
