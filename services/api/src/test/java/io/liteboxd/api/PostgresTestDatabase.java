package io.liteboxd.api;

import io.liteboxd.api.storage.DatabaseMode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@link SqliteTestDatabase}'s contract on Postgres: a fresh database per test class on the server
 * {@value TestPostgres#VARIABLE} names (hack/postgres.sh), real Flyway migrations, nothing shared.
 * A test of SQLite runs on Postgres as a subclass that implements this and is annotated
 * {@code @MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)}
 * (the environment is what LITEBOXD_DATABASE=postgres adds, so application-postgres.yml applies).
 * Without the variable the class is skipped, never run on SQLite instead.
 */
@EnabledIfEnvironmentVariable(named = TestPostgres.VARIABLE, matches = ".+",
        disabledReason = TestPostgres.VARIABLE + " is not set (export LBX_POSTGRES_URL=\"$(hack/postgres.sh start)\")")
public interface PostgresTestDatabase extends SqliteTestDatabase {

    @Override
    default Map<String, String> getProperties() {
        MicronautTest test = getClass().getAnnotation(MicronautTest.class);
        if (test == null || !List.of(test.environments()).contains(DatabaseMode.POSTGRES_ENVIRONMENT)) {
            throw new IllegalStateException(getClass().getSimpleName() + " must be annotated "
                    + "@MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)");
        }
        Map<String, String> properties = new HashMap<>(SqliteTestDatabase.super.getProperties());
        properties.putAll(TestPostgres.newDatabase(getClass().getSimpleName()).properties());
        return properties;
    }
}
