package io.liteboxd.gateway.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micronaut.http.MutableHttpHeaders;
import io.micronaut.http.simple.SimpleHttpHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

class SandboxResponseHeadersTest {

    static final String CSP = "sandbox allow-scripts";

    @Test
    void pathModeRescopesCookiesDropsClearSiteDataAndAddsThePolicy() {
        MutableHttpHeaders headers = sample();
        SandboxResponseHeaders.isolate(headers, "/api/v1/sandbox/abc/port/80/", CSP);
        assertEquals(List.of("app=1; Path=/api/v1/sandbox/abc/port/80/"), headers.getAll("Set-Cookie"));
        assertFalse(headers.contains("Set-Cookie2"));
        assertFalse(headers.contains("Clear-Site-Data"));
        assertEquals(List.of("default-src 'self'", CSP), headers.getAll("Content-Security-Policy"),
                "the app's own policy stays beside the gateway's");
    }

    @Test
    void pathModeWithoutAPolicyAddsNone() {
        MutableHttpHeaders headers = sample();
        SandboxResponseHeaders.isolate(headers, "/api/v1/sandbox/abc/port/80/", "");
        assertEquals(List.of("default-src 'self'"), headers.getAll("Content-Security-Policy"));
    }

    @Test
    void hostModeKeepsClearSiteDataAndAddsNoPolicy() {
        MutableHttpHeaders headers = sample();
        SandboxResponseHeaders.isolate(headers, null, CSP);
        assertEquals(List.of("app=1; Path=/"), headers.getAll("Set-Cookie"));
        assertNull(headers.get("Set-Cookie2"));
        assertEquals("\"cookies\"", headers.get("Clear-Site-Data"), "on its own host it clears only its own data");
        assertEquals(List.of("default-src 'self'"), headers.getAll("Content-Security-Policy"));
    }

    private static MutableHttpHeaders sample() {
        MutableHttpHeaders headers = new SimpleHttpHeaders();
        headers.add("Set-Cookie", "liteboxd_session=stolen; Path=/");
        headers.add("Set-Cookie", "app=1; Path=/; Domain=example.com");
        headers.add("Set-Cookie2", "x=1");
        headers.add("Clear-Site-Data", "\"cookies\"");
        headers.add("Content-Security-Policy", "default-src 'self'");
        return headers;
    }
}
