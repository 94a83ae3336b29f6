package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The controller's token: exactly it as a bearer credential, nothing without one configured. */
class InternalCallerTest {

    @Test
    void onlyTheConfiguredTokenAsABearerCredential() {
        InternalCaller caller = new InternalCaller("s3cret");
        assertTrue(caller.accepts("Bearer s3cret"));
        for (String other : new String[] {null, "", "s3cret", "Bearer", "Bearer s3cret2", "Basic s3cret", "bearer s3cret"}) {
            assertFalse(caller.accepts(other), String.valueOf(other));
        }
    }

    @Test
    void noTokenConfiguredRefusesEveryone() {
        assertFalse(new InternalCaller("").accepts("Bearer "));
        assertFalse(new InternalCaller(" ").accepts("Bearer  "));
    }
}
