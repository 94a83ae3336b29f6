package io.liteboxd.api.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** bcrypt, compatible with the {@code $2a$} hashes upstream's Go code wrote. */
final class Passwords {

    /** Cost of the bootstrap admin hash (upstream: 12). */
    static final int BOOTSTRAP_COST = 12;
    /** Cost of a hash set through change-password (upstream: bcrypt.DefaultCost). */
    static final int CHANGE_COST = 10;

    private Passwords() {}

    static String hash(String password, int cost) {
        return BCrypt.with(BCrypt.Version.VERSION_2A).hashToString(cost, password.toCharArray());
    }

    static boolean matches(String password, String hash) {
        return hash != null && BCrypt.verifyer()
                .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                .verified;
    }
}
