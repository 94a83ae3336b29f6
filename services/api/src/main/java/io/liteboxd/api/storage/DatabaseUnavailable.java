package io.liteboxd.api.storage;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Whether a failure means "the database could not be reached" (a restart, a failover, a pool with
 * no connection to give) rather than "this request went wrong": the first is worth a retry, and
 * the API answers it with 503 (docs/upgrade.md, Client retries), the second stays a 500.
 */
public final class DatabaseUnavailable {

    /** SQLSTATEs of a connection lost or refused: class 08, and Postgres' shutdown and start-up states. */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03");

    private DatabaseUnavailable() {}

    public static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionException || t instanceof CannotGetJdbcConnectionException) {
                return true; // micronaut-data got no connection, or could not set up the one it got
            }
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t instanceof IOException && t.getClass().getName().startsWith("java.net.")) {
                return true; // the driver's socket to the database (ConnectException, SocketException, ...)
            }
        }
        return false;
    }
}
