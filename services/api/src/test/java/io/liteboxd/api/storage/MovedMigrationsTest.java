package io.liteboxd.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A SQLite file migrated before the migrations moved from db/migration to db/sqlite (its history
 * names V2 {@code db.migration.V2__upstream_late_columns}) still validates: the API starts, nothing
 * runs again, the history is left as it was (db/README.md).
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MovedMigrationsTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient http;

    Path databaseFile;

    @Override
    public void prepare(Path file) throws Exception {
        databaseFile = file;
        Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null)
                .locations(Migrations.SQLITE.toArray(String[]::new)).load().migrate();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = db.createStatement()) {
            assertEquals(1, statement.executeUpdate(
                    "UPDATE flyway_schema_history SET script = 'db.migration.V2__upstream_late_columns' WHERE version = '2'"));
        }
    }

    @Test
    void aHistoryFromBeforeTheMoveStillValidates() throws Exception {
        assertEquals(Map.of("status", "ok"), http.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class));
        List<String> history = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + databaseFile);
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version, description, script, success FROM flyway_schema_history ORDER BY installed_rank")) {
            while (rows.next()) {
                history.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3) + " " + rows.getInt(4));
            }
        }
        assertEquals(List.of("1 upstream schema V1__upstream_schema.sql 1",
                "2 upstream late columns db.migration.V2__upstream_late_columns 1"), history);
    }
}
