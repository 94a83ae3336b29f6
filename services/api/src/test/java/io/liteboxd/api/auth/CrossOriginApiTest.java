package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Cookie-authenticated requests from other origins (CSRF), and CORS, over HTTP. The WebSocket side
 * of the same check is proven on the real terminal route in TerminalClusterTest.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossOriginApiTest implements SqliteTestDatabase {

    static final String PASSWORD = "cross-origin-tests";
    static final Map<String, String> REFUSED = Map.of("error", "cross-origin request refused");

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    EmbeddedServer server;

    String session;
    String apiKey;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.initial.password", PASSWORD,
                "liteboxd.auth.origin.allowed-origins", "https://ui.example.com",
                // Micronaut's own guard refuses every foreign Origin sent to a localhost server (which
                // this test server is, unlike a deployed one): off, so that ours is what is tested.
                "micronaut.server.cors.localhost-pass-through", "true");
    }

    record Reply(HttpStatus status, Object body, HttpResponse<?> response) {}

    Reply send(MutableHttpRequest<?> request) {
        try {
            HttpResponse<Object> response = http.toBlocking().exchange(request, Object.class);
            return new Reply(response.getStatus(), response.getBody().orElse(null), response);
        } catch (HttpClientResponseException e) {
            return new Reply(e.getStatus(), e.getResponse().getBody(Object.class).orElse(null), e.getResponse());
        }
    }

    @BeforeAll
    void login() {
        HttpResponse<?> login = http.toBlocking().exchange(HttpRequest.POST("/api/v1/auth/login",
                Map.of("username", "admin", "password", PASSWORD)));
        session = login.getHeaders().get(HttpHeaders.SET_COOKIE).split(";", 2)[0];
        apiKey = (String) http.toBlocking().retrieve(HttpRequest.POST("/api/v1/auth/api-keys", Map.of("name", "k"))
                .header(HttpHeaders.COOKIE, session), Map.class).get("key");
    }

    MutableHttpRequest<?> me() {
        return HttpRequest.GET("/api/v1/auth/me").header(HttpHeaders.COOKIE, session);
    }

    String ownOrigin() {
        return "http://localhost:" + server.getPort();
    }

    @Test
    void cookieRequestsFromOtherOriginsAreRefused() {
        for (String origin : new String[] {"http://evil.example", "null", "https://localhost:" + server.getPort()}) {
            Reply reply = send(me().header(HttpHeaders.ORIGIN, origin));
            assertEquals(HttpStatus.FORBIDDEN, reply.status(), origin);
            assertEquals(REFUSED, reply.body(), origin);
        }
        Reply post = send(HttpRequest.POST("/api/v1/auth/api-keys", Map.of("name", "csrf"))
                .header(HttpHeaders.COOKIE, session).header(HttpHeaders.ORIGIN, "http://evil.example"));
        assertEquals(HttpStatus.FORBIDDEN, post.status());
        Reply login = send(HttpRequest.POST("/api/v1/auth/login", Map.of("username", "admin", "password", PASSWORD))
                .header(HttpHeaders.ORIGIN, "http://evil.example"));
        assertEquals(REFUSED, login.body(), "no login CSRF either");
    }

    @Test
    void theOwnOriginAndAllowedOnesPass() {
        assertEquals(HttpStatus.OK, send(me().header(HttpHeaders.ORIGIN, ownOrigin())).status());
        assertEquals(HttpStatus.OK, send(me().header(HttpHeaders.ORIGIN, "https://ui.example.com")).status());
        assertEquals(HttpStatus.OK, send(me()).status(), "no Origin, no fetch metadata: not a browser");
        // Behind the ingress: the origin is what the proxy says the client asked for.
        Reply proxied = send(HttpRequest.GET("/api/v1/auth/me")
                .header(HttpHeaders.COOKIE, "__Host-" + session)
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "api.example.com")
                .header(HttpHeaders.ORIGIN, "https://api.example.com"));
        assertEquals(HttpStatus.OK, proxied.status());
    }

    @Test
    void withoutOriginCrossSiteFetchesAreRefusedButNavigationsPass() {
        assertEquals(HttpStatus.FORBIDDEN, send(me().header("Sec-Fetch-Site", "cross-site")
                .header("Sec-Fetch-Mode", "no-cors")).status());
        assertEquals(HttpStatus.FORBIDDEN, send(me().header("Sec-Fetch-Site", "same-site")
                .header("Sec-Fetch-Mode", "cors")).status(), "a sandbox's page on a sibling host");
        assertEquals(HttpStatus.OK, send(me().header("Sec-Fetch-Site", "cross-site")
                .header("Sec-Fetch-Mode", "navigate")).status(), "a link to a download");
        assertEquals(HttpStatus.OK, send(me().header("Sec-Fetch-Site", "same-origin")
                .header("Sec-Fetch-Mode", "cors")).status());
        Reply form = send(HttpRequest.POST("/api/v1/auth/logout", Map.of()).header(HttpHeaders.COOKIE, session)
                .header("Sec-Fetch-Site", "cross-site").header("Sec-Fetch-Mode", "navigate"));
        assertEquals(HttpStatus.FORBIDDEN, form.status(), "a cross-site form post is no download");
    }

    @Test
    void apiKeysAreNotOriginChecked() {
        Reply reply = send(HttpRequest.GET("/api/v1/auth/me").bearerAuth(apiKey)
                .header(HttpHeaders.ORIGIN, "http://evil.example").header("Sec-Fetch-Site", "cross-site"));
        assertEquals(HttpStatus.OK, reply.status());
    }

    @Test
    void credentialedCorsIsGrantedToAllowedOriginsOnly() {
        Reply evilPreflight = send(HttpRequest.OPTIONS("/api/v1/auth/me").header(HttpHeaders.ORIGIN, "http://evil.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET"));
        assertEquals(HttpStatus.FORBIDDEN, evilPreflight.status());
        assertNull(evilPreflight.response().getHeaders().get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertNull(evilPreflight.response().getHeaders().get(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS));
        Reply evil = send(HttpRequest.GET("/api/v1/auth/me").bearerAuth(apiKey).header(HttpHeaders.ORIGIN, "http://evil.example"));
        assertNull(evil.response().getHeaders().get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertNull(evil.response().getHeaders().get(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS));

        Reply preflight = send(HttpRequest.OPTIONS("/api/v1/auth/me").header(HttpHeaders.ORIGIN, "https://ui.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST"));
        assertEquals(HttpStatus.NO_CONTENT, preflight.status());
        HttpHeaders headers = preflight.response().getHeaders();
        assertEquals("https://ui.example.com", headers.get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertEquals("true", headers.get(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS));
        assertFalse(headers.get(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS).isEmpty());
        Reply allowed = send(me().header(HttpHeaders.ORIGIN, "https://ui.example.com"));
        assertEquals("https://ui.example.com", allowed.response().getHeaders().get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN));
        assertEquals("true", allowed.response().getHeaders().get(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS));
        Reply unauthorized = send(HttpRequest.GET("/api/v1/auth/me").header(HttpHeaders.ORIGIN, "https://ui.example.com"));
        assertEquals(HttpStatus.UNAUTHORIZED, unauthorized.status());
        assertEquals("https://ui.example.com", unauthorized.response().getHeaders().get(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN),
                "the allowed page can read why it failed");
    }
}
