package io.liteboxd.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpHeaders;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Opens a database file laid out by an early upstream LiteBoxd (resource upstream/liteboxd-early.sql)
 * and migrates it in place: old rows and credentials keep working, missing columns and indexes appear.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpstreamDatabaseMigrationTest implements SqliteTestDatabase {

    static final String UPSTREAM_KEY = UpstreamFixture.API_KEY;
    static final String UPSTREAM_PASSWORD = UpstreamFixture.PASSWORD;

    @Inject
    @Client("/")
    HttpClient http;

    Path databaseFile;

    @Override
    public void prepare(Path file) throws Exception {
        databaseFile = file;
        UpstreamFixture.write(file);
    }

    @Test
    void addsTheLateColumnsAndIndexesAndKeepsEveryRow() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + databaseFile);
             Statement statement = db.createStatement()) {
            Set<String> columns = names(statement, "PRAGMA table_info(sandboxes)");
            for (String column : List.of("persistence_enabled", "runtime_kind", "stopped_at", "deletion_phase",
                    "deletion_next_retry_at", "deletion_force_level")) {
                assertTrue(columns.contains(column), column);
            }
            try (ResultSet row = statement.executeQuery(
                    "SELECT id, runtime_kind, deletion_phase, created_at FROM sandboxes")) {
                assertTrue(row.next());
                assertEquals("ab12cd34", row.getString(1));
                assertEquals("pod", row.getString(2));
                assertEquals("", row.getString(3));
                assertEquals("2026-01-02 03:04:05.123456789+00:00", row.getString(4), "old text kept as is");
            }
            Set<String> indexes = names(statement, "PRAGMA index_list(api_keys)");
            assertFalse(indexes.contains("idx_api_keys_key_hash"), "the old non-unique index is gone");
            assertTrue(indexes.contains("idx_api_keys_key_hash_unique"));
            assertTrue(names(statement, "PRAGMA index_list(sandboxes)").contains("idx_sandboxes_expires_at"));
            try (ResultSet count = statement.executeQuery("SELECT count(*) FROM template_versions")) {
                assertEquals(1, count.getInt(1));
            }
        }
    }

    @Test
    void upstreamCredentialsStillWork() {
        var login = http.toBlocking().exchange(HttpRequest.POST("/api/v1/auth/login",
                Map.of("username", "admin", "password", UPSTREAM_PASSWORD)), Map.class);
        String cookie = login.getHeaders().get(HttpHeaders.SET_COOKIE).split(";", 2)[0];

        Map<?, ?> me = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/auth/me").bearerAuth(UPSTREAM_KEY), Map.class);
        assertEquals(Map.of("auth_method", "api_key"), me);

        List<Map> keys = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/auth/api-keys")
                .header(HttpHeaders.COOKIE, cookie), Argument.listOf(Map.class));
        Map<?, ?> key = keys.get(0);
        assertEquals("cli-host-1", key.get("name"));
        assertEquals("2026-01-02T03:04:05Z", key.get("created_at"), "CURRENT_TIMESTAMP text read as UTC");
    }

    private static Set<String> names(Statement statement, String pragma) throws Exception {
        Set<String> names = new HashSet<>();
        try (ResultSet rows = statement.executeQuery(pragma)) {
            while (rows.next()) {
                names.add(rows.getString("name"));
            }
        }
        return names;
    }
}
