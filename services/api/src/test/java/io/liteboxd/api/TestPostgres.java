package io.liteboxd.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The throw-away Postgres server of {@code hack/postgres.sh} that {@value #VARIABLE} names
 * ({@code jdbc:postgresql://127.0.0.1:PORT/liteboxd?user=liteboxd&password=...}): a fresh database
 * on it per caller, and a restart of the whole server. Tests without the variable are skipped
 * ({@link PostgresTestDatabase}); CI sets it (hack/test.sh).
 */
public final class TestPostgres {

    public static final String VARIABLE = "LBX_POSTGRES_URL";
    private static final Path SCRIPT = Path.of("../../hack/postgres.sh");

    private TestPostgres() {}

    /** One database: what the API's Postgres mode is given (DATABASE_URL and the credentials). */
    public record Database(String url, String username, String password) {

        /** The datasource of a test context (over application-postgres.yml's placeholders). */
        public Map<String, String> properties() {
            return Map.of("datasources.default.url", url, "datasources.default.username", username,
                    "datasources.default.password", password);
        }

        /** The process environment of the API's Postgres mode, and of the import command. */
        public Map<String, String> env() {
            return Map.of("DATABASE_URL", url, "DATABASE_USERNAME", username, "DATABASE_PASSWORD", password);
        }

        public Connection connect() throws SQLException {
            return TestPostgres.connect(url, username, password);
        }
    }

    public static boolean available() {
        String url = System.getenv(VARIABLE);
        return url != null && !url.isBlank();
    }

    /** A new, empty database named after {@code hint} (a test class) plus a random suffix. */
    public static Database newDatabase(String hint) {
        Map<String, String> server = parse(System.getenv(VARIABLE));
        String plain = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        String name = "lbx_" + plain.substring(0, Math.min(40, plain.length())) + "_"
                + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = connect(server.get("url"), server.get("user"), server.get("password"));
             Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on " + VARIABLE, e);
        }
        return new Database(server.get("base") + "/" + name, server.get("user"), server.get("password"));
    }

    /** Stops the server and starts it again (same port, same data): every open connection breaks. */
    public static void restart() throws IOException, InterruptedException {
        if (!Files.isExecutable(SCRIPT)) {
            throw new IllegalStateException(SCRIPT.toAbsolutePath() + " is missing (tests run in services/api)");
        }
        Process process = new ProcessBuilder(SCRIPT.toString(), "restart").inheritIO().start();
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("hack/postgres.sh restart failed");
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(url, properties);
    }

    /** url (without the query), base (without the database), user, password. */
    private static Map<String, String> parse(String url) {
        String[] parts = url.split("\\?", 2);
        Map<String, String> server = new HashMap<>();
        server.put("url", parts[0]);
        server.put("base", parts[0].substring(0, parts[0].lastIndexOf('/')));
        server.put("user", "");
        server.put("password", "");
        if (parts.length == 2) {
            for (String pair : parts[1].split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2) {
                    server.put(kv[0], kv[1]);
                }
            }
        }
        return server;
    }
}
