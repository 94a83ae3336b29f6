package io.liteboxd.api.storage;

import java.util.List;

/**
 * Flyway's migration locations per database (db/README.md): the dialect's own folder, then the
 * portable one. application.yml and application-postgres.yml name the same lists for the API;
 * these are for the import command, which runs Flyway without the application context.
 */
public final class Migrations {

    public static final List<String> SQLITE = List.of("classpath:db/sqlite", "classpath:db/common");
    public static final List<String> POSTGRES = List.of("classpath:db/postgres", "classpath:db/common");

    /** SQLite files made by upstream have the tables but no history: baseline below V1 (application.yml). */
    public static final String SQLITE_BASELINE_VERSION = "0";

    private Migrations() {}
}
