package io.liteboxd.gateway.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.simple.SimpleHttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialFilterTest {

    @Test
    void controlPlaneCookiesGoTheAppsStay() {
        MutableHttpHeaders headers = headers("Cookie",
                "app=1; liteboxd_session=s1; __Host-liteboxd_session=s2; LiteBoxd_Sandbox_Token=t; theme=dark");
        headers.add("Cookie", "__host-liteboxd_sandbox_token=t2");
        CredentialFilter.strip(headers);
        assertEquals(List.of("app=1; theme=dark"), headers.getAll("Cookie"));
    }

    @Test
    void aCookieHeaderWithOnlyControlPlaneCookiesIsDropped() {
        MutableHttpHeaders headers = headers("Cookie", "liteboxd_session=s");
        CredentialFilter.strip(headers);
        assertFalse(headers.contains("Cookie"));
    }

    @Test
    void anUntouchedCookieHeaderKeepsItsSpelling() {
        MutableHttpHeaders headers = headers("Cookie", "a=1;b=\"2\"");
        CredentialFilter.strip(headers);
        assertEquals("a=1;b=\"2\"", headers.get("Cookie"));
    }

    @Test
    void theAccessTokenHeaderAndApiKeysGo() {
        MutableHttpHeaders headers = headers("X-Access-Token", "tok");
        headers.add("Authorization", "Bearer lbxk_0123");
        CredentialFilter.strip(headers);
        assertNull(headers.get("X-Access-Token"));
        assertNull(headers.get("Authorization"));
        MutableHttpHeaders lower = headers("authorization", "bearer   lbxk_0123");
        CredentialFilter.strip(lower);
        assertNull(lower.get("Authorization"));
    }

    @Test
    void anAuthorizationRepeatingAControlPlaneCookieGoes() {
        MutableHttpHeaders headers = headers("Cookie", "liteboxd_session=sess1; app=x");
        headers.add("Authorization", "Bearer sess1");
        CredentialFilter.strip(headers);
        assertNull(headers.get("Authorization"));
        assertEquals("app=x", headers.get("Cookie"));
    }

    @Test
    void theAppsOwnAuthorizationPasses() {
        for (String value : List.of("Bearer app-token", "Basic dXNlcjpwYXNz", "Bearer x")) {
            MutableHttpHeaders headers = headers("Authorization", value);
            headers.add("Cookie", "liteboxd_session=sess1; app=x");
            CredentialFilter.strip(headers);
            assertEquals(value, headers.get("Authorization"));
        }
    }

    private static MutableHttpHeaders headers(String name, String value) {
        MutableHttpHeaders headers = new SimpleHttpHeaders();
        headers.add(name, value);
        return headers;
    }
}
