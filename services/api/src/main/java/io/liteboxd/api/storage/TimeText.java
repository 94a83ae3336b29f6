package io.liteboxd.api.storage;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Times as upstream's SQLite files hold them: TEXT in go-sqlite3's layout
 * ({@code 2006-01-02 15:04:05.999999999-07:00}), or {@code CURRENT_TIMESTAMP}'s
 * {@code 2006-01-02 15:04:05} for defaults. We always write UTC with nine fraction digits so
 * that string comparisons in range filters order correctly against old rows.
 *
 * <p>Postgres keeps the same entities' times in {@code timestamptz} columns: this text goes in
 * untyped ({@code stringtype=unspecified}, application-postgres.yml) and Postgres parses it; what
 * comes back is Postgres' own text ({@code 2006-01-02 15:04:05.999999+00}, in the session's zone),
 * which {@link #parse} reads too.
 */
public final class TimeText {

    private static final DateTimeFormatter WRITE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSSxxx").withZone(ZoneOffset.UTC);

    /**
     * Accepts a space or 'T' separator, 0-9 fraction digits, and an optional offset or 'Z'; the
     * offset's minutes and seconds are optional (Postgres writes {@code +00}, {@code +05:30}).
     */
    private static final DateTimeFormatter READ = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd")
            .optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd()
            .appendPattern("HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:mm:ss", "Z").optionalEnd()
            .toFormatter();

    private TimeText() {}

    public static String format(Instant instant) {
        return WRITE.format(instant);
    }

    public static Instant parse(String text) {
        var parsed = READ.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
        if (parsed instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }
}
