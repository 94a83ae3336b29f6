package io.liteboxd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.liteboxd.api.storage.DatabaseMode;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link ApiApplicationTest} on Postgres (PostgresTestDatabase), and the driver settings of application-postgres.yml. */
@MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)
class ApiApplicationPostgresTest extends ApiApplicationTest implements PostgresTestDatabase {

    @Inject
    JdbcOperations jdbc;

    @Test
    void connectionsCarryTheDriverSettings() {
        jdbc.execute(connection -> {
            try (Statement statement = connection.createStatement();
                 ResultSet name = statement.executeQuery("SELECT current_setting('application_name')")) {
                name.next();
                assertEquals("liteboxd-api", name.getString(1), "camelCase pgjdbc properties arrive as written");
            }
            assertEquals(60_000, connection.getNetworkTimeout(), "socketTimeout, in ms");
            return null;
        });
    }
}
