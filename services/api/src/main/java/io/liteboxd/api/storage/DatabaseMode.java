package io.liteboxd.api.storage;

import java.util.Map;

/**
 * Where the API keeps its metadata, chosen at deploy time with {@code LITEBOXD_DATABASE}
 * (docs/database.md): {@code sqlite} (the default: one file under {@code DATA_DIR}, one replica) or
 * {@code postgres} ({@code DATABASE_URL}, {@code DATABASE_USERNAME}, {@code DATABASE_PASSWORD},
 * optional {@code DATABASE_MAX_POOL_SIZE}; any number of replicas). Postgres mode is the Micronaut
 * environment {@value #POSTGRES_ENVIRONMENT}: application-postgres.yml and the beans that
 * {@code @Requires} it.
 */
public enum DatabaseMode {
    SQLITE,
    POSTGRES;

    public static final String VARIABLE = "LITEBOXD_DATABASE";
    public static final String POSTGRES_ENVIRONMENT = "postgres";
    static final String URL_VARIABLE = "DATABASE_URL";
    private static final String JDBC_PREFIX = "jdbc:postgresql:";

    /** The mode the process environment asks for; anything but the documented values stops the start. */
    public static DatabaseMode of(Map<String, String> env) {
        String value = env.getOrDefault(VARIABLE, "");
        DatabaseMode mode = switch (value) {
            case "", "sqlite" -> SQLITE;
            case "postgres" -> POSTGRES;
            default -> throw new IllegalArgumentException(
                    VARIABLE + " must be sqlite (the default) or postgres, not '" + value + "'");
        };
        if (mode == POSTGRES) {
            checkUrl(env.get(URL_VARIABLE));
        }
        return mode;
    }

    /** The Micronaut environments this mode adds. */
    public String[] environments() {
        return this == POSTGRES ? new String[] {POSTGRES_ENVIRONMENT} : new String[0];
    }

    /** Only the shape is checked, and the message never repeats the value (it may hold a password). */
    static void checkUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(VARIABLE + "=postgres needs " + URL_VARIABLE
                    + " (a JDBC URL: jdbc:postgresql://host:5432/database)");
        }
        if (!url.startsWith(JDBC_PREFIX)) {
            throw new IllegalArgumentException(URL_VARIABLE + " must be a JDBC URL starting with " + JDBC_PREFIX
                    + " (jdbc:postgresql://host:5432/database)");
        }
    }
}
