package io.liteboxd.api.storage.importer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * The Postgres database to import into, from the same variables the API reads in Postgres mode
 * ({@code DATABASE_URL}, {@code DATABASE_USERNAME}, {@code DATABASE_PASSWORD}).
 */
record ImportTarget(String url, String username, String password) {

    static ImportTarget of(Map<String, String> env) {
        String url = env.getOrDefault("DATABASE_URL", "");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "DATABASE_URL must be the Postgres JDBC URL to import into (jdbc:postgresql://host:5432/database)");
        }
        return new ImportTarget(url, env.getOrDefault("DATABASE_USERNAME", ""),
                env.getOrDefault("DATABASE_PASSWORD", ""));
    }

    Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (!username.isEmpty()) {
            properties.setProperty("user", username);
        }
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", "liteboxd-sqlite-import");
        return DriverManager.getConnection(url, properties);
    }

    /** For logs: the URL without its query, where credentials could be. */
    String shown() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    @Override
    public String toString() {
        return shown();
    }
}
