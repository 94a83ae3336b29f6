package io.liteboxd.api.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig.TransactionMode;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteConnectionConfig;

/**
 * The SQLite driver, with the read-only flag of its connections choosing how their transactions
 * begin instead of being refused, and a transaction that could not begin leaving its connection
 * usable.
 *
 * <p>micronaut-data opens read-only transactions with {@code Connection.setReadOnly(true)}, which
 * the SQLite driver rejects on an open connection ("Cannot change read-only flag after
 * establishing a connection", micronaut-data #3560), and its {@code jdbc.explicit_readonly} mode
 * breaks Flyway instead ("cannot upgrade to write transaction"). So the flag is not handed to
 * the driver; it switches the connection's transaction mode: a read-only transaction begins
 * DEFERRED, which in WAL mode takes no lock at all, and every other transaction begins as the URL
 * says (IMMEDIATE: the write lock first, see application.yml). Beginning reads IMMEDIATE too made
 * every GET queue for the database's one write lock, across API pods during a rollout (two
 * processes on one file), where a writer descheduled on a saturated node held up all reads.
 */
public class SqliteDriver extends JDBC {

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection connection = super.connect(url, info);
        return connection == null ? null : readOnlyAsTransactionMode((SQLiteConnection) connection);
    }

    private static Connection readOnlyAsTransactionMode(SQLiteConnection connection) {
        SQLiteConnectionConfig config = connection.getConnectionConfig();
        TransactionMode configured = config.getTransactionMode();
        boolean[] readOnly = {false};
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "setReadOnly" -> {
                readOnly[0] = (Boolean) args[0];
                // Takes effect at the next BEGIN (sqlite-jdbc begins one on setAutoCommit(false)
                // and after each commit), which micronaut-data issues after this call.
                config.setTransactionMode(readOnly[0] ? TransactionMode.DEFERRED : configured);
                yield null;
            }
            case "isReadOnly" -> readOnly[0];
            case "setAutoCommit" -> {
                boolean on = (Boolean) args[0];
                try {
                    connection.setAutoCommit(on);
                } catch (SQLException e) {
                    // sqlite-jdbc records the new mode before its BEGIN runs. A BEGIN refused
                    // (SQLITE_BUSY after the busy timeout) left the pooled connection "in a
                    // transaction" that did not exist: no later BEGIN, every later transaction on
                    // it failing with "cannot commit - no transaction is active".
                    if (!on) config.setAutoCommit(true);
                    throw e;
                }
                yield null;
            }
            default -> {
                try {
                    yield method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(
                SqliteDriver.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }
}
