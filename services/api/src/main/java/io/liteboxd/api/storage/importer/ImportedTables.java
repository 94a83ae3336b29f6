package io.liteboxd.api.storage.importer;

import java.util.List;
import java.util.Set;

/**
 * Every table the import copies, parents before children (the foreign keys hold at every insert).
 * A table the schema gains must be added here: the import refuses a SQLite file with a table it
 * does not know rather than leave its rows behind (SqliteImportTest checks the list against the
 * Postgres schema).
 */
final class ImportedTables {

    /**
     * A table; {@code parentColumn} names the foreign key into {@code parent} (null: none). Upstream
     * did not enforce foreign keys, so its files may hold children of deleted parents; those
     * orphans are skipped (and counted), as Postgres would refuse them.
     */
    record Table(String name, String parentColumn, String parent, boolean identity) {

        static Table of(String name) {
            return new Table(name, null, null, false);
        }

        Table childOf(String column, String parentTable) {
            return new Table(name, column, parentTable, identity);
        }

        /** Its {@code id} is a bigint identity on Postgres (AUTOINCREMENT on SQLite). */
        Table withIdentity() {
            return new Table(name, parentColumn, parent, true);
        }
    }

    static final List<Table> ALL = List.of(
            Table.of("templates"),
            Table.of("template_versions").childOf("template_id", "templates"),
            Table.of("image_prepulls"),
            Table.of("sandboxes"),
            Table.of("sandbox_status_history").childOf("sandbox_id", "sandboxes").withIdentity(),
            Table.of("sandbox_reconcile_runs"),
            Table.of("sandbox_reconcile_items").childOf("run_id", "sandbox_reconcile_runs").withIdentity(),
            Table.of("admin_users"),
            Table.of("sessions").childOf("user_id", "admin_users"),
            Table.of("api_keys"));

    /** Tables of either database that are bookkeeping, not LiteBoxd data. */
    static final Set<String> NOT_DATA = Set.of("flyway_schema_history", "liteboxd_sqlite_import");

    private ImportedTables() {}

    static Set<String> names() {
        return Set.copyOf(ALL.stream().map(Table::name).toList());
    }
}
