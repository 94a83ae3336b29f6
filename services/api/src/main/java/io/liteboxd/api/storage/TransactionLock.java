package io.liteboxd.api.storage;

/**
 * Serialises read-then-write transactions (count then insert, read a version then write the next)
 * with every other transaction that takes the same scope, in this process and in every other API
 * replica on the same database. Call it inside the transaction, before the read: the lock is held
 * until the transaction ends.
 *
 * <p>SQLite needs nothing ({@link SqliteTransactionLock}): its transactions take the database's one
 * write lock when they begin ({@code transaction_mode=IMMEDIATE}). Postgres runs transactions side
 * by side under READ COMMITTED, so {@link PostgresTransactionLock} takes an advisory lock.
 */
public interface TransactionLock {

    void acquire(Scope scope);

    /** What a lock guards. The keys are part of the database contract: never reuse or renumber one. */
    enum Scope {
        /** {@code SANDBOX_MAX_LIVE}: counting live sandboxes and inserting the new one. */
        SANDBOX_ADMISSION(1),
        /** Template names (create) and version numbers (update, rollback). */
        TEMPLATES(2),
        /** One active pre-pull per image. */
        PREPULLS(3),
        /** The one-shot SQLite import (a session lock, taken by the import command itself). */
        SQLITE_IMPORT(100);

        /** The first half of every LiteBoxd advisory lock key ("LBXD"), so that other users of the database do not collide. */
        public static final int NAMESPACE = 0x4C425844;

        private final int key;

        Scope(int key) {
            this.key = key;
        }

        public int key() {
            return key;
        }
    }
}
