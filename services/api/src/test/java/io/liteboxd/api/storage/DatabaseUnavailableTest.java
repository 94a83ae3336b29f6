package io.liteboxd.api.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.transaction.exceptions.CannotCreateTransactionException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseUnavailableTest {

    @Test
    void connectionFailuresAnywhereInTheChain() {
        // Hikari, when no connection can be had within connection-timeout.
        assertTrue(DatabaseUnavailable.is(new CannotCreateTransactionException("no tx",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available"))));
        // pgjdbc: connection failure (08006) and Postgres shutting down (57P01) or starting (57P03).
        assertTrue(DatabaseUnavailable.is(new DataAccessException("x", new SQLException("I/O error", "08006"))));
        assertTrue(DatabaseUnavailable.is(new DataAccessException("x", new SQLException("terminating", "57P01"))));
        assertTrue(DatabaseUnavailable.is(new DataAccessException("x", new SQLException("starting up", "57P03"))));
        // No connection from the pool at all (the database is down).
        assertTrue(DatabaseUnavailable.is(
                new io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException("Failed to obtain JDBC Connection")));
        // A pooled connection the database closed during a restart.
        assertTrue(DatabaseUnavailable.is(new io.micronaut.data.connection.exceptions.ConnectionException(
                "Could not set JDBC Connection read-only", new SQLException("Connection is closed"))));
        assertTrue(DatabaseUnavailable.is(new DataAccessException("x", new SQLException("no state",
                new ConnectException("Connection refused")))));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(DatabaseUnavailable.is(new DataAccessException("x",
                new SQLIntegrityConstraintViolationException("duplicate", "23505"))));
        assertFalse(DatabaseUnavailable.is(new DataAccessException("x", new SQLException("syntax", "42601"))));
        assertFalse(DatabaseUnavailable.is(new IllegalStateException("bug")));
    }
}
