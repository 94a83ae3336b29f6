package io.liteboxd.api.storage;

import io.micronaut.context.annotation.Requires;
import io.micronaut.transaction.TransactionDefinition.Propagation;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * SQLite mode: the transaction already holds the database's write lock (application.yml,
 * {@code transaction_mode=IMMEDIATE}). MANDATORY still fails a caller outside a transaction, as
 * the Postgres lock does, so the SQLite tests catch that mistake too.
 */
@Singleton
@Requires(notEnv = DatabaseMode.POSTGRES_ENVIRONMENT)
public class SqliteTransactionLock implements TransactionLock {

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public void acquire(Scope scope) {}
}
