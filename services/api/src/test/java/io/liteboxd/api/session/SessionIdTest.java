package io.liteboxd.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liteboxd.api.error.ApiException;
import org.junit.jupiter.api.Test;

class SessionIdTest {

    @Test
    void helperIdsPass() {
        assertEquals("0f3a9c1b2d4e5f60", SessionId.check("0f3a9c1b2d4e5f60"));
        assertEquals("build_1-a", SessionId.check("build_1-a"));
    }

    @Test
    void optionsPathsAndJunkAreRefused() {
        for (String bad : new String[] {"--cursor", "-x", "", "a/b", "../x", "a b", "a".repeat(65), "é"}) {
            assertThrows(ApiException.class, () -> SessionId.check(bad), bad);
        }
        assertThrows(ApiException.class, () -> SessionId.check(null));
    }
}
