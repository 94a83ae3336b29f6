package io.liteboxd.api.auth;

import io.liteboxd.api.error.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * Checks a presented password the way login and change-password must: a locked client address or
 * user name is refused (429) before any hashing, also once more when the hashing permit is finally
 * granted (so a burst that queued up behind the permits cannot all be tried); an unknown user
 * costs the same bcrypt as a known one; failures count for both keys, a success clears them.
 */
@Singleton
class PasswordCheck {

    /** Keys longer than this are stored as their SHA-256: a user name is attacker-chosen. */
    private static final int MAX_KEY = 128;

    private final LoginThrottle throttle;
    private final PasswordHashing hashing;
    private final ClientAddresses clients;

    PasswordCheck(LoginThrottle throttle, PasswordHashing hashing, ClientAddresses clients) {
        this.throttle = throttle;
        this.hashing = hashing;
        this.clients = clients;
    }

    /** Whether {@code password} is {@code user}'s ({@code user} null: no such user, always false). */
    boolean verify(HttpRequest<?> request, String username, @Nullable AdminUser user, String password) {
        List<String> keys = List.of(key("ip:", clients.of(request)), key("user:", username));
        refuseIfLocked(keys);
        boolean matches = hashing.run(() -> {
            refuseIfLocked(keys);
            return Passwords.matches(password, user == null ? Passwords.DUMMY_HASH : user.passwordHash());
        });
        if (matches && user != null) {
            throttle.clear(keys);
            return true;
        }
        throttle.recordFailure(keys, Instant.now());
        return false;
    }

    private void refuseIfLocked(List<String> keys) {
        throttle.lockedFor(keys, Instant.now()).ifPresent(wait -> {
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "too many failed logins, retry later", wait);
        });
    }

    private static String key(String kind, String value) {
        return kind + (value.length() <= MAX_KEY ? value : "sha256:" + Secrets.sha256Hex(value));
    }
}
