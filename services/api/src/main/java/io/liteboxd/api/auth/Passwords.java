package io.liteboxd.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;

/**
 * bcrypt, compatible with the {@code $2a$} hashes upstream's Go code wrote. Every hash we write has
 * cost {@link #COST} (upstream used 12 at bootstrap and 10 on change-password); an older hash of
 * another cost is replaced at the next successful login ({@link #needsRehash}), so that a login
 * for an unknown user, checked against {@link #DUMMY_HASH}, costs what a real one costs.
 */
final class Passwords {

    static final int COST = 12;
    /** bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut. */
    static final int MAX_BYTES = 72;
    /**
     * The hash of a random password nobody knows, at {@link #COST}: verified when the user does
     * not exist, so that "no such user" takes as long as "wrong password" (no timing oracle).
     */
    static final String DUMMY_HASH = "$2a$12$g4hyGyH0twTb5EqenuS4TeTQhdNt3c9p3WCkSF0LaE0VWo3zJiQHO";

    private Passwords() {}

    static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }

    static String hash(String password) {
        return hash(password, COST);
    }

    static String hash(String password, int cost) {
        return BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(cost, password.toCharArray());
    }

    /** False for a password over {@link #MAX_BYTES} (no stored hash can be of one) without hashing. */
    static boolean matches(String password, @Nullable String hash) {
        return hash != null && !tooLong(password) && BCrypt.verifyer()
                .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                .verified;
    }

    static boolean needsRehash(String hash) {
        return !hash.startsWith(String.format("$2a$%02d$", COST));
    }
}
