package io.liteboxd.api.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;

/** Session lifetime: {@code SESSION_MAX_AGE} whole seconds; missing, invalid or ≤ 0 means one day. */
@Singleton
public class AuthSettings {

    static final Duration DEFAULT_SESSION_MAX_AGE = Duration.ofDays(1);

    private final Duration sessionMaxAge;

    AuthSettings(@Nullable @Value("${session.max.age:}") String sessionMaxAge) {
        this.sessionMaxAge = parseSeconds(sessionMaxAge);
    }

    public Duration sessionMaxAge() {
        return sessionMaxAge;
    }

    static Duration parseSeconds(@Nullable String raw) {
        try {
            long seconds = Long.parseLong(raw == null ? "" : raw.trim());
            return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_SESSION_MAX_AGE;
        } catch (NumberFormatException e) {
            return DEFAULT_SESSION_MAX_AGE;
        }
    }
}
