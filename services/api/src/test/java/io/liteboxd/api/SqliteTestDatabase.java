package io.liteboxd.api;

import io.micronaut.test.support.TestPropertyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Points the API at a fresh SQLite file in a new temporary directory per test class: real
 * SQLite, real Flyway migrations, nothing shared between classes. Implement it on a
 * {@code @MicronautTest} class (with {@code @TestInstance(PER_CLASS)}).
 */
public interface SqliteTestDatabase extends TestPropertyProvider {

    /** Extra properties for the class under test (admin credentials and the like). */
    default Map<String, String> extraProperties() {
        return Map.of();
    }

    /** Runs before the context starts, e.g. to seed an upstream-made database file. */
    default void prepare(Path databaseFile) throws Exception {}

    @Override
    default Map<String, String> getProperties() {
        try {
            Path dir = Files.createTempDirectory("liteboxd-api-test");
            // The application's own URL (with its pragmas) is used; only the directory changes.
            Path file = dir.resolve("liteboxd.db");
            prepare(file);
            Map<String, String> properties = new HashMap<>();
            // Only the cluster tests talk to Kubernetes; they switch it back on.
            properties.put("liteboxd.kubernetes.enabled", "false");
            // A free port, not application.yml's 8080: test runs of other checkouts may hold it.
            properties.put("micronaut.server.port", "-1");
            properties.putAll(extraProperties());
            properties.put("liteboxd.data-dir", dir.toString());
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
