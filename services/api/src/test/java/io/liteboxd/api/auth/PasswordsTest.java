package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordsTest {

    @Test
    void theDummyHashHasTheCostOfRealOnes() {
        assertFalse(Passwords.needsRehash(Passwords.DUMMY_HASH));
        assertTrue(Passwords.needsRehash(Passwords.hash("x", 4)));
        assertFalse(Passwords.matches("", Passwords.DUMMY_HASH));
    }

    @Test
    void theLimitIsInUtf8Bytes() {
        assertFalse(Passwords.tooLong("a".repeat(72)));
        assertTrue(Passwords.tooLong("a".repeat(73)));
        assertTrue(Passwords.tooLong("é".repeat(37)), "74 bytes in 37 characters");
        assertFalse(Passwords.matches("a".repeat(100), Passwords.hash("a".repeat(72), 4)),
                "never a match, never an exception");
    }
}
