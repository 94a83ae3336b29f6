package io.liteboxd.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

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

    @Inject
    DataSource dataSource;

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    java.util.List<io.liteboxd.common.lifecycle.ReadinessGate> gates;

    @Test
    void readyOnlyWithAWarmPool() throws Exception {
        assertTrue(gates.stream().anyMatch(g -> g instanceof io.liteboxd.api.storage.DatabasePoolGate),
                "Postgres mode gates readiness on the pool: " + gates);
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        assertEquals(5, pool.getMinimumIdle(), "DATABASE_MIN_IDLE's default");
        Await.until(Duration.ofSeconds(30), "/readyz 200", () -> {
            try {
                return "ok".equals(http.toBlocking().retrieve(HttpRequest.GET("/readyz"), Map.class).get("status"));
            } catch (HttpClientResponseException e) {
                return false;
            }
        });
        assertTrue(pool.getHikariPoolMXBean().getTotalConnections() >= 5,
                "Ready with " + pool.getHikariPoolMXBean().getTotalConnections() + " connections open");
    }

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
