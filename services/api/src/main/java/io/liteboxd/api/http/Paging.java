package io.liteboxd.api.http;

import io.micronaut.core.annotation.Nullable;

/**
 * Upstream's lenient paging: {@code page} below 1 or unparsable is 1; {@code pageSize} below 1
 * or unparsable is 20, and above 100 it is clamped to 100 (upstream reset it to 20).
 */
public record Paging(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 100;

    public static Paging of(@Nullable String page, @Nullable String size) {
        int p = Math.max(1, leadingInt(page));
        int s = leadingInt(size);
        return new Paging(p, s < 1 ? DEFAULT_SIZE : Math.min(s, MAX_SIZE));
    }

    public int offset() {
        return (page - 1) * size;
    }

    /** Upstream's lenient integers: anything unparsable is 0, which then means "default". */
    public static int leadingInt(@Nullable String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
