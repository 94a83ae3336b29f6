package io.liteboxd.api.storage;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;

/**
 * Postgres mode: a transaction-scoped advisory lock ({@code pg_advisory_xact_lock}), released by
 * commit or rollback, so a crashed replica cannot leave it behind. The two-int key form keeps
 * clear of single-bigint keys, the space Flyway's own lock uses.
 */
@Singleton
@Requires(env = DatabaseMode.POSTGRES_ENVIRONMENT)
public class PostgresTransactionLock implements TransactionLock {

    private final JdbcOperations jdbc;

    PostgresTransactionLock(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void acquire(Scope scope) {
        jdbc.execute(connection -> {
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
                lock.setInt(1, Scope.NAMESPACE);
                lock.setInt(2, scope.key());
                lock.execute();
            }
            return null;
        });
    }
}
