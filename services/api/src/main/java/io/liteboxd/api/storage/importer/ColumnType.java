package io.liteboxd.api.storage.importer;

import io.liteboxd.api.storage.TimeText;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A Postgres column's type, and how a SQLite value (whatever SQLite's loose typing let upstream
 * store) becomes a value of it: times from go-sqlite3's TEXT layouts to timestamptz, booleans from
 * 0/1, integers and text as they are. A value that does not fit stops the import, by name.
 */
enum ColumnType {
    TEXT, INTEGER, BOOLEAN, TIMESTAMPTZ;

    /** From {@code information_schema.columns.data_type}. */
    static ColumnType of(String table, String column, String dataType) {
        return switch (dataType) {
            case "text", "character varying" -> TEXT;
            case "integer", "bigint", "smallint" -> INTEGER;
            case "boolean" -> BOOLEAN;
            case "timestamp with time zone" -> TIMESTAMPTZ;
            default -> throw new IllegalStateException(
                    "the import cannot fill " + table + "." + column + " of Postgres type " + dataType);
        };
    }

    /**
     * Reads column {@code index} of the SQLite row and binds it as parameter {@code index}. Text and
     * times are read as text: the driver's own date parsing must not get a say.
     */
    void copy(ResultSet from, PreparedStatement to, int index, String where) throws SQLException {
        switch (this) {
            case TEXT -> to.setString(index, from.getString(index));
            case TIMESTAMPTZ -> {
                String text = from.getString(index);
                if (text == null || text.isBlank()) {
                    to.setNull(index, Types.NULL); // a blank time reads as none in the API too (InstantText)
                } else {
                    to.setObject(index, time(text, where));
                }
            }
            case INTEGER, BOOLEAN -> {
                Object value = from.getObject(index);
                if (value == null) {
                    to.setNull(index, Types.NULL);
                } else if (this == INTEGER) {
                    to.setLong(index, integer(value, where));
                } else {
                    to.setBoolean(index, bool(value, where));
                }
            }
        }
    }

    private static long integer(Object value, String where) {
        if (value instanceof Number number) {
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(where + ": '" + value + "' is not an integer");
        }
    }

    private static boolean bool(Object value, String where) {
        if (value instanceof Number number) {
            return number.longValue() != 0;
        }
        return switch (value.toString().trim().toLowerCase()) {
            case "1", "t", "true" -> true;
            case "0", "f", "false" -> false;
            default -> throw new IllegalStateException(where + ": '" + value + "' is not a boolean");
        };
    }

    private static OffsetDateTime time(String text, String where) {
        try {
            // Postgres keeps microseconds; cut the rest (go-sqlite3 wrote nanoseconds) rather than
            // let Postgres round a time up past where it was.
            return OffsetDateTime.ofInstant(TimeText.parse(text).truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalStateException(where + ": '" + text + "' is not a time");
        }
    }
}
