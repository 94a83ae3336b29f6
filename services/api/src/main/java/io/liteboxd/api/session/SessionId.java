package io.liteboxd.api.session;

import io.liteboxd.api.error.ApiException;
import java.util.regex.Pattern;

/**
 * A session id as clients may pass it: it becomes an argument of the helper's command line, so
 * it must not start with {@code -} (no option injection) and holds only what the helper issues.
 */
public final class SessionId {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private SessionId() {}

    public static String check(String id) {
        if (id == null || !VALID.matcher(id).matches()) {
            throw ApiException.badRequest("invalid session id");
        }
        return id;
    }
}
