package io.liteboxd.api.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** LITEBOXD_DATABASE: the documented values, and a clear stop on anything else. */
class DatabaseModeTest {

    static final String URL = "jdbc:postgresql://db:5432/liteboxd";

    @Test
    void sqliteUnlessPostgresIsAskedFor() {
        assertEquals(DatabaseMode.SQLITE, DatabaseMode.of(Map.of()));
        assertEquals(DatabaseMode.SQLITE, DatabaseMode.of(Map.of("LITEBOXD_DATABASE", "sqlite")));
        assertEquals(DatabaseMode.POSTGRES,
                DatabaseMode.of(Map.of("LITEBOXD_DATABASE", "postgres", "DATABASE_URL", URL)));
        assertArrayEquals(new String[0], DatabaseMode.SQLITE.environments());
        assertArrayEquals(new String[] {"postgres"}, DatabaseMode.POSTGRES.environments());
    }

    @Test
    void anyOtherValueStopsTheStartByName() {
        for (String value : new String[] {"Postgres", "postgresql", "mysql", " sqlite"}) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> DatabaseMode.of(Map.of("LITEBOXD_DATABASE", value)));
            assertEquals("LITEBOXD_DATABASE must be sqlite (the default) or postgres, not '" + value + "'",
                    e.getMessage());
        }
    }

    @Test
    void postgresNeedsAJdbcUrlAndNeverEchoesIt() {
        var missing = assertThrows(IllegalArgumentException.class,
                () -> DatabaseMode.of(Map.of("LITEBOXD_DATABASE", "postgres")));
        assertEquals("LITEBOXD_DATABASE=postgres needs DATABASE_URL (a JDBC URL: jdbc:postgresql://host:5432/database)",
                missing.getMessage());
        String secret = "postgres://user:s3cret@db/liteboxd";
        var wrong = assertThrows(IllegalArgumentException.class,
                () -> DatabaseMode.of(Map.of("LITEBOXD_DATABASE", "postgres", "DATABASE_URL", secret)));
        assertFalse(wrong.getMessage().contains("s3cret"), wrong.getMessage());
    }
}
