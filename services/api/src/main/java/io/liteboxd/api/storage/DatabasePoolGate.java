package io.liteboxd.api.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.liteboxd.common.lifecycle.ReadinessGate;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * In Postgres mode a replica is not Ready until its pool holds {@code minimum-idle} connections.
 * Without this, a new replica joined the Service with the one connection Flyway left it and opened
 * the others one at a time (the pool has a single thread for that) while its share of the traffic
 * queued: in a rollout on a busy 2-CPU node each connection took seconds, requests waited past
 * the pool's 10 s timeout and failed with 503 (bench/upgrade-postgres.md). SQLite mode opens a
 * local file and needs no gate.
 */
@Singleton
@Requires(env = DatabaseMode.POSTGRES_ENVIRONMENT)
public class DatabasePoolGate implements ReadinessGate {

    private final HikariDataSource pool;

    DatabasePoolGate(@Named("default") DataSource dataSource) throws SQLException {
        this.pool = dataSource.unwrap(HikariDataSource.class);
    }

    @Override
    public String waitingFor() {
        var bean = pool.getHikariPoolMXBean();
        int open = bean == null ? 0 : bean.getTotalConnections();
        int wanted = pool.getMinimumIdle();
        return open >= wanted ? null : "database pool " + open + "/" + wanted + " connections open";
    }
}
