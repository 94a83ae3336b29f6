package io.liteboxd.common.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ControlPlaneCredentialsTest {

    @Test
    void controlPlaneCookiesAreRecognisedInAnyCase() {
        for (String name : new String[] {"liteboxd_session", "__Host-liteboxd_session", "LiteBoxd_Session",
                " __HOST-liteboxd_session", "liteboxd_sandbox_token", "__Host-liteboxd_sandbox_token"}) {
            assertTrue(ControlPlaneCredentials.isControlPlaneCookie(name), name);
        }
        for (String name : new String[] {"session", "liteboxd_session2", "app_liteboxd_session", "", "__Secure-liteboxd_session"}) {
            assertFalse(ControlPlaneCredentials.isControlPlaneCookie(name), name);
        }
        assertFalse(ControlPlaneCredentials.isControlPlaneCookie(null));
    }

    @Test
    void apiKeysAreRecognisedWhateverTheScheme() {
        assertTrue(ControlPlaneCredentials.isApiKeyAuthorization("Bearer lbxk_0123"));
        assertTrue(ControlPlaneCredentials.isApiKeyAuthorization("bearer   lbxk_0123"));
        assertTrue(ControlPlaneCredentials.isApiKeyAuthorization("lbxk_0123"));
        assertTrue(ControlPlaneCredentials.isApiKeyAuthorization("Token lbxk_0123"));
        assertFalse(ControlPlaneCredentials.isApiKeyAuthorization("Bearer app-token"));
        assertFalse(ControlPlaneCredentials.isApiKeyAuthorization("Basic dXNlcjpwYXNz"));
        assertFalse(ControlPlaneCredentials.isApiKeyAuthorization(null));
    }
}
