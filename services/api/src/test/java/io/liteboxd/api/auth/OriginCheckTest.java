package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.auth.OriginCheck.Inputs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OriginCheckTest {

    static final String OWN = "https://api.example.com";
    final OriginCheck check = new OriginCheck(List.of("https://ui.example.com", " http://localhost:5173 "));

    boolean allows(String method, String origin, String site, String mode) {
        return check.allows(new Inputs(method, origin, site, mode, OWN));
    }

    @Test
    void theOwnOriginAndTheAllowedOnesPass() {
        assertTrue(allows("POST", "https://api.example.com", "same-origin", "cors"));
        assertTrue(allows("POST", "HTTPS://API.example.com:443", null, null), "case and default port do not matter");
        assertTrue(allows("GET", "https://ui.example.com", "same-site", "cors"), "an allowed origin may be cross-site");
        assertTrue(allows("GET", "http://localhost:5173", "cross-site", "websocket"));
    }

    @Test
    void theOwnOriginIsReadFromTheIngressHeadersAlsoForWebSockets() {
        // Traefik forwards a WebSocket upgrade with X-Forwarded-Proto: ws (wss under TLS); the
        // page that opened it still sends its http(s) origin.
        var upgrade = io.micronaut.http.HttpRequest.GET("/api/v1/sandboxes/abcd1234/exec/interactive")
                .header("Host", "api:8080").header("X-Forwarded-Host", "liteboxd.test:30080")
                .header("X-Forwarded-Proto", "ws").header("Origin", "http://liteboxd.test:30080");
        assertEquals("http://liteboxd.test:30080", OriginCheck.inputs(upgrade).ownOrigin());
        assertTrue(check.allows(upgrade));
        var secure = io.micronaut.http.HttpRequest.GET("/api/v1/sandboxes/abcd1234/exec/interactive")
                .header("X-Forwarded-Host", "api.example.com").header("X-Forwarded-Proto", "wss");
        assertEquals(OWN, OriginCheck.inputs(secure).ownOrigin());
    }

    @Test
    void otherOriginsAndNullAreRefused() {
        assertFalse(allows("GET", "http://evil.example", "cross-site", "websocket"));
        assertFalse(allows("GET", "http://api.example.com", null, null), "another scheme is another origin");
        assertFalse(allows("GET", "https://api.example.com:8443", null, null), "so is another port");
        assertFalse(allows("GET", "https://3000-abc.sbx.example.com", "same-site", "cors"), "a sandbox host");
        assertFalse(allows("POST", "null", null, null), "a sandboxed page's opaque origin");
        assertFalse(allows("POST", "garbage", null, null));
    }

    @Test
    void withoutOriginFetchMetadataDecides() {
        assertTrue(allows("GET", null, null, null), "SDKs and curl send neither");
        assertTrue(allows("GET", null, "same-origin", "cors"));
        assertTrue(allows("GET", null, "none", "navigate"), "typed into the address bar");
        assertTrue(allows("GET", null, "cross-site", "navigate"), "a link to a download");
        assertTrue(allows("HEAD", null, "same-site", "navigate"));
        assertFalse(allows("GET", null, "cross-site", "no-cors"), "an <img> or <script> from elsewhere");
        assertFalse(allows("POST", null, "cross-site", "navigate"), "a cross-site form post");
        assertFalse(allows("GET", null, "Same-Site", "cors"));
    }

    @Test
    void withoutAKnownOwnOriginOnlyAllowedOnesPass() {
        assertFalse(check.allows(new Inputs("GET", OWN, null, null, null)));
        assertTrue(check.allows(new Inputs("GET", "https://ui.example.com", null, null, null)));
    }

    @Test
    void originsAreNormalised() {
        assertEquals(Optional.of("http://example.com"), OriginCheck.normalize("http://Example.com:80"));
        assertEquals(Optional.of("http://example.com:8080"), OriginCheck.normalize("http://example.com:8080"));
        assertEquals(Optional.of("http://[::1]:8080"), OriginCheck.normalize("http://[::1]:8080"));
        assertEquals(Optional.empty(), OriginCheck.normalize("null"));
        assertEquals(Optional.empty(), OriginCheck.normalize("https://example.com/path"));
        assertTrue(check.isAllowedOrigin("https://UI.example.com"));
        assertFalse(check.isAllowedOrigin(OWN), "the own origin needs no CORS");
        assertThrows(IllegalArgumentException.class, () -> new OriginCheck(List.of("ui.example.com")));
    }
}
