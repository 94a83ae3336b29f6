package io.liteboxd.api.storage;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.sqlite.JDBC;

/**
 * The SQLite driver, with the read-only flag of its connections reduced to a no-op.
 *
 * <p>micronaut-data opens read-only transactions with {@code Connection.setReadOnly(true)}, which
 * the SQLite driver rejects on an open connection ("Cannot change read-only flag after
 * establishing a connection", micronaut-data #3560), and its {@code jdbc.explicit_readonly} mode
 * breaks Flyway instead ("cannot upgrade to write transaction"). The flag is only a hint to the
 * driver; ignoring it below the pool keeps reads working and leaves everything else alone.
 */
public class SqliteDriver extends JDBC {

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection connection = super.connect(url, info);
        return connection == null ? null : ignoreReadOnly(connection);
    }

    private static Connection ignoreReadOnly(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "setReadOnly" -> null;
            case "isReadOnly" -> false;
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
