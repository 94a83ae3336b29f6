package io.liteboxd.common.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForwardedSchemeTest {

    @Test
    void webSocketSchemesNameTheSameOriginsAsHttp() {
        assertEquals("http", ForwardedScheme.of(false, null));
        assertEquals("http", ForwardedScheme.of(false, "ws"), "Traefik's value for a plain WebSocket upgrade");
        assertEquals("https", ForwardedScheme.of(false, "wss"));
        assertEquals("https", ForwardedScheme.of(false, " HTTPS , http"), "the first entry counts");
        assertEquals("http", ForwardedScheme.of(false, "http, https"));
        assertEquals("https", ForwardedScheme.of(true, "http"), "TLS on the connection itself wins");
        assertTrue(ForwardedScheme.isHttps(false, "wss"));
        assertFalse(ForwardedScheme.isHttps(false, "gopher"));
    }
}
