package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.SqliteTestDatabase;
import io.liteboxd.common.testing.Await;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The auth routes over HTTP against a real SQLite file, including every 4xx path. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthApiTest implements SqliteTestDatabase {

    static final String PASSWORD = "s3cret-admin-pw";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    SessionRepository sessions;

    @Inject
    ApiKeyRepository apiKeys;

    @Inject
    AdminUserRepository users;

    @Inject
    LoginThrottle throttle;

    @Inject
    PasswordHashing hashing;

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.username", "root", "admin.initial.password", PASSWORD,
                // Locks long enough that no test races their end; a busy hasher answers quickly.
                "liteboxd.auth.login.backoff-base", "1m",
                "liteboxd.auth.hashing.queue-timeout", "300ms",
                "liteboxd.auth.origin.allowed-origins", "https://ui.example.com");
    }

    @BeforeEach
    void resetCredentials() {
        sessions.deleteAll();
        apiKeys.deleteAll();
        throttle.clearAll();
        users.findByUsername("root").ifPresent(u -> users.update(u.withPasswordHash(Passwords.hash(PASSWORD, 4), u.updatedAt())));
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

    String login() {
        Reply reply = send(HttpRequest.POST("/api/v1/auth/login", Map.of("username", "root", "password", PASSWORD)));
        assertEquals(HttpStatus.OK, reply.status());
        String setCookie = reply.response().getHeaders().get(HttpHeaders.SET_COOKIE);
        return setCookie.substring("liteboxd_session=".length(), setCookie.indexOf(';'));
    }

    MutableHttpRequest<?> withSession(MutableHttpRequest<?> request, String token) {
        return request.header(HttpHeaders.COOKIE, "liteboxd_session=" + token);
    }

    @Test
    void loginSetsAnHttpOnlySessionCookieAndMeNamesTheUser() {
        Reply reply = send(HttpRequest.POST("/api/v1/auth/login", Map.of("username", "root", "password", PASSWORD)));
        assertEquals(Map.of("message", "login successful", "username", "root"), reply.body());
        String cookie = reply.response().getHeaders().get(HttpHeaders.SET_COOKIE);
        assertTrue(cookie.matches("liteboxd_session=[0-9a-f]{64}; .*"), cookie);
        assertTrue(cookie.contains("Path=/") && cookie.toLowerCase().contains("httponly"), cookie);
        assertTrue(cookie.contains("Max-Age=86400") && cookie.contains("SameSite=Lax"), cookie);
        assertFalse(cookie.contains("Secure"), cookie);

        String token = cookie.substring("liteboxd_session=".length(), cookie.indexOf(';'));
        assertTrue(sessions.existsById(Secrets.sha256Hex(token)), "only the hash is stored");
        assertFalse(sessions.existsById(token));
        Reply me = send(withSession(HttpRequest.GET("/api/v1/auth/me"), token));
        assertEquals(Map.of("auth_method", "session", "username", "root"), me.body());
    }

    @Test
    void underTlsTheCookieIsAHostCookieAndTheOnlyOneAccepted() {
        Reply reply = send(HttpRequest.POST("/api/v1/auth/login", Map.of("username", "root", "password", PASSWORD))
                .header("X-Forwarded-Proto", "https"));
        String cookie = reply.response().getHeaders().get(HttpHeaders.SET_COOKIE);
        assertTrue(cookie.matches("__Host-liteboxd_session=[0-9a-f]{64}; .*"), cookie);
        assertTrue(cookie.contains("Secure") && cookie.contains("Path=/") && cookie.contains("SameSite=Lax")
                && cookie.toLowerCase().contains("httponly"), cookie);
        assertFalse(cookie.toLowerCase().contains("domain"), cookie);
        String token = cookie.substring("__Host-liteboxd_session=".length(), cookie.indexOf(';'));

        Reply secure = send(HttpRequest.GET("/api/v1/auth/me").header("X-Forwarded-Proto", "https")
                .header(HttpHeaders.COOKIE, "__Host-liteboxd_session=" + token));
        assertEquals(HttpStatus.OK, secure.status());
        Reply plainName = send(HttpRequest.GET("/api/v1/auth/me").header("X-Forwarded-Proto", "https")
                .header(HttpHeaders.COOKIE, "liteboxd_session=" + token));
        assertEquals(HttpStatus.UNAUTHORIZED, plainName.status(), "a sibling host could have planted that one");
        Reply overHttp = send(HttpRequest.GET("/api/v1/auth/me").header(HttpHeaders.COOKIE, "__Host-liteboxd_session=" + token));
        assertEquals(HttpStatus.UNAUTHORIZED, overHttp.status(), "over HTTP the name is upstream's");

        Reply logout = send(HttpRequest.POST("/api/v1/auth/logout", Map.of()).header("X-Forwarded-Proto", "https")
                .header(HttpHeaders.COOKIE, "__Host-liteboxd_session=" + token));
        String cleared = logout.response().getHeaders().get(HttpHeaders.SET_COOKIE);
        assertTrue(cleared.startsWith("__Host-liteboxd_session=;") && cleared.contains("Max-Age=0")
                && cleared.contains("Secure"), cleared);
        assertFalse(sessions.existsById(Secrets.sha256Hex(token)));
    }

    MutableHttpRequest<?> loginFrom(String address, String username, String password) {
        return HttpRequest.POST("/api/v1/auth/login", Map.of("username", username, "password", password))
                .header("X-Forwarded-For", address); // the test client is on loopback, a trusted proxy
    }

    @Test
    void fortyWrongPasswordsAreThrottledWithRetryAfterAndLockTheRightOneOutToo() {
        int refused = 0;
        for (int i = 1; i <= 40; i++) {
            Reply reply = send(loginFrom("203.0.113.7", "root", "wrong-" + i));
            if (i <= 5) {
                assertEquals(HttpStatus.UNAUTHORIZED, reply.status(), "attempt " + i);
                continue;
            }
            assertEquals(HttpStatus.TOO_MANY_REQUESTS, reply.status(), "attempt " + i);
            assertEquals(Map.of("error", "too many failed logins, retry later"), reply.body());
            long retryAfter = Long.parseLong(reply.response().getHeaders().get(HttpHeaders.RETRY_AFTER));
            assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
            refused++;
        }
        assertEquals(35, refused);

        // Locked keys are refused before any hashing: with every hashing permit held, a request
        // that tried to hash would wait and get 503; a locked one gets 429 at once.
        hashing.permits().acquireUninterruptibly(2);
        try {
            Reply right = send(loginFrom("203.0.113.7", "root", PASSWORD));
            assertEquals(HttpStatus.TOO_MANY_REQUESTS, right.status(), "the right password is refused while locked");
            assertEquals(HttpStatus.TOO_MANY_REQUESTS, send(loginFrom("198.51.100.9", "root", PASSWORD)).status(),
                    "the user is locked from any address");
            assertEquals(HttpStatus.TOO_MANY_REQUESTS, send(loginFrom("203.0.113.7", "someone", "x")).status(),
                    "the address is locked for any user");
        } finally {
            hashing.permits().release(2);
        }
        assertEquals(0, sessions.count());
        throttle.clearAll(); // the lock ran out
        assertEquals(HttpStatus.OK, send(loginFrom("203.0.113.7", "root", PASSWORD)).status());
    }

    @Test
    void aSuccessClearsTheCountersOfTheUserAndTheAddress() {
        for (int i = 0; i < 4; i++) {
            assertEquals(HttpStatus.UNAUTHORIZED, send(loginFrom("203.0.113.8", "root", "wrong")).status());
        }
        assertEquals(HttpStatus.OK, send(loginFrom("203.0.113.8", "root", PASSWORD)).status());
        for (int i = 0; i < 4; i++) {
            assertEquals(HttpStatus.UNAUTHORIZED, send(loginFrom("203.0.113.8", "root", "wrong")).status(),
                    "counting started over");
        }
    }

    @Test
    void unknownUsersCostAHashAndTheHasherAnswers503WhenBusy() {
        hashing.permits().acquireUninterruptibly(2);
        try {
            for (String user : List.of("ghost", "root")) {
                Reply busy = send(loginFrom("203.0.113.9", user, "whatever-password"));
                assertEquals(HttpStatus.SERVICE_UNAVAILABLE, busy.status(), user + " waits for bcrypt like anyone");
                assertEquals(Map.of("error", "server busy, retry later"), busy.body());
                assertEquals("1", busy.response().getHeaders().get(HttpHeaders.RETRY_AFTER));
            }
        } finally {
            hashing.permits().release(2);
        }
        Reply unknown = send(loginFrom("203.0.113.9", "ghost", "whatever-password"));
        assertEquals(HttpStatus.UNAUTHORIZED, unknown.status());
        assertEquals(Map.of("error", "invalid credentials"), unknown.body());
    }

    @Test
    void passwordsOverBcryptsLimitAre400NotA500() {
        Reply login = send(HttpRequest.POST("/api/v1/auth/login", Map.of("username", "root", "password", "p".repeat(100))));
        assertEquals(HttpStatus.BAD_REQUEST, login.status());
        assertEquals(Map.of("error", "password must be at most 72 bytes"), login.body());
        String session = login();
        Reply change = send(withSession(HttpRequest.POST("/api/v1/auth/change-password",
                Map.of("old_password", PASSWORD, "new_password", "p".repeat(100))), session));
        assertEquals(HttpStatus.BAD_REQUEST, change.status());
        assertEquals(Map.of("error", "invalid request: new_password must be at most 72 bytes"), change.body());
        assertEquals(HttpStatus.OK, send(HttpRequest.POST("/api/v1/auth/login",
                Map.of("username", "root", "password", PASSWORD))).status(), "the password did not change");
    }

    @Test
    void changingThePasswordEndsTheOtherSessionsAndOptionallyEveryApiKey() {
        String mine = login();
        String other = login();
        String key = (String) ((Map<?, ?>) send(withSession(HttpRequest.POST("/api/v1/auth/api-keys",
                Map.of("name", "k")), mine)).body()).get("key");

        Reply changed = send(withSession(HttpRequest.POST("/api/v1/auth/change-password",
                Map.of("old_password", PASSWORD, "new_password", "second-password")), mine));
        assertEquals(Map.of("message", "password updated successfully"), changed.body());
        assertEquals(HttpStatus.OK, send(withSession(HttpRequest.GET("/api/v1/auth/me"), mine)).status(), "mine stays");
        assertEquals(HttpStatus.UNAUTHORIZED, send(withSession(HttpRequest.GET("/api/v1/auth/me"), other)).status());
        assertEquals(HttpStatus.OK, send(HttpRequest.GET("/api/v1/auth/me").bearerAuth(key)).status(),
                "API keys stay unless asked");

        Reply revoking = send(withSession(HttpRequest.POST("/api/v1/auth/change-password",
                Map.of("old_password", "second-password", "new_password", "third-password", "revoke_api_keys", true)), mine));
        assertEquals(Map.of("message", "password updated successfully"), revoking.body());
        assertEquals(HttpStatus.UNAUTHORIZED, send(HttpRequest.GET("/api/v1/auth/me").bearerAuth(key)).status());
        assertEquals(0, apiKeys.count());
        assertEquals(HttpStatus.OK, send(withSession(HttpRequest.GET("/api/v1/auth/me"), mine)).status());
    }

    @Test
    void loginRejectsMissingFieldsWrongPasswordsAndMalformedJson() {
        Reply missing = send(HttpRequest.POST("/api/v1/auth/login", Map.of("username", "root")));
        assertEquals(HttpStatus.BAD_REQUEST, missing.status());
        assertEquals(Map.of("error", "username and password are required"), missing.body());
        Reply wrong = send(HttpRequest.POST("/api/v1/auth/login", Map.of("username", "root", "password", "nope")));
        assertEquals(HttpStatus.UNAUTHORIZED, wrong.status());
        assertEquals(Map.of("error", "invalid credentials"), wrong.body());
        Reply unknown = send(HttpRequest.POST("/api/v1/auth/login", Map.of("username", "ghost", "password", PASSWORD)));
        assertEquals(Map.of("error", "invalid credentials"), unknown.body());
        Reply malformed = send(HttpRequest.POST("/api/v1/auth/login", "{\"username\":").contentType(MediaType.APPLICATION_JSON));
        assertEquals(HttpStatus.BAD_REQUEST, malformed.status());
        assertTrue(((Map<?, ?>) malformed.body()).get("error") instanceof String, String.valueOf(malformed.body()));
        assertEquals(0, sessions.count(), "no failed login creates a session");
    }

    @Test
    void everyOtherRouteNeedsCredentials() {
        Reply reply = send(HttpRequest.GET("/api/v1/auth/me"));
        assertEquals(HttpStatus.UNAUTHORIZED, reply.status());
        assertEquals(Map.of("error", "authentication required"), reply.body());
        Reply forged = send(withSession(HttpRequest.GET("/api/v1/auth/me"), "0".repeat(64)));
        assertEquals(HttpStatus.UNAUTHORIZED, forged.status());
    }

    @Test
    void apiKeysAuthenticateAsApiKeyButCannotManageCredentials() throws Exception {
        String session = login();
        Reply created = send(withSession(HttpRequest.POST("/api/v1/auth/api-keys", Map.of("name", "cli-test")), session));
        assertEquals(HttpStatus.CREATED, created.status());
        Map<?, ?> body = (Map<?, ?>) created.body();
        String key = (String) body.get("key");
        assertTrue(key.matches("lbxk_[0-9a-f]{64}"), key);
        assertEquals(key.substring(5, 13), body.get("prefix"));
        assertTrue(body.containsKey("expires_at") && body.get("expires_at") == null, "expires_at is JSON null");

        Reply me = send(HttpRequest.GET("/api/v1/auth/me").bearerAuth(key));
        assertEquals(Map.of("auth_method", "api_key"), me.body());
        Reply listWithKey = send(HttpRequest.GET("/api/v1/auth/api-keys").bearerAuth(key));
        assertEquals(HttpStatus.FORBIDDEN, listWithKey.status());
        assertEquals(Map.of("error", "this operation requires session authentication (web login)"), listWithKey.body());

        Reply listed = send(withSession(HttpRequest.GET("/api/v1/auth/api-keys"), session));
        List<?> items = (List<?>) listed.body();
        assertEquals(1, items.size());
        Map<?, ?> item = (Map<?, ?>) items.get(0);
        assertFalse(item.containsKey("key"), "the key is shown only at creation");
        assertTrue(item.containsKey("last_used_at"));
        // last_used_at is written in the background after a key authenticates.
        Await.until(Duration.ofSeconds(5), "the key's last_used_at is written",
                () -> apiKeys.findById((String) body.get("id")).orElseThrow().lastUsedAt() != null);
    }

    @Test
    void aWrongBearerKeyIsRejectedEvenWithAValidCookie() {
        String session = login();
        Reply reply = send(withSession(HttpRequest.GET("/api/v1/auth/me"), session).bearerAuth("lbxk_" + "0".repeat(64)));
        assertEquals(HttpStatus.UNAUTHORIZED, reply.status());
        assertEquals(Map.of("error", "invalid or expired API key"), reply.body());
    }

    @Test
    void apiKeyCreationValidatesTheNameAndExpiry() {
        String session = login();
        for (Object name : List.of("", "x".repeat(129))) {
            Reply reply = send(withSession(HttpRequest.POST("/api/v1/auth/api-keys", Map.of("name", name)), session));
            assertEquals(HttpStatus.BAD_REQUEST, reply.status());
            assertEquals(Map.of("error", "name is required and must be at most 128 characters"), reply.body());
        }
        assertEquals(0, apiKeys.count(), "rejected requests insert nothing");
        Reply expiring = send(withSession(HttpRequest.POST("/api/v1/auth/api-keys",
                Map.of("name", "short-lived", "expires_in_days", 2)), session));
        String expiresAt = (String) ((Map<?, ?>) expiring.body()).get("expires_at");
        String createdAt = (String) ((Map<?, ?>) expiring.body()).get("created_at");
        assertEquals(java.time.Duration.ofDays(2),
                java.time.Duration.between(java.time.Instant.parse(createdAt), java.time.Instant.parse(expiresAt)));
    }

    @Test
    void deletingAKeyRevokesItAndUnknownIdsAre404() {
        String session = login();
        Map<?, ?> created = (Map<?, ?>) send(withSession(HttpRequest.POST("/api/v1/auth/api-keys", Map.of("name", "k")), session)).body();
        Reply missing = send(withSession(HttpRequest.DELETE("/api/v1/auth/api-keys/nope"), session));
        assertEquals(HttpStatus.NOT_FOUND, missing.status());
        assertEquals(Map.of("error", "API key not found"), missing.body());
        Reply deleted = send(withSession(HttpRequest.DELETE("/api/v1/auth/api-keys/" + created.get("id")), session));
        assertEquals(Map.of("message", "API key deleted"), deleted.body());
        assertEquals(HttpStatus.UNAUTHORIZED, send(HttpRequest.GET("/api/v1/auth/me").bearerAuth((String) created.get("key"))).status());
    }

    @Test
    void changePasswordChecksTheOldOneAndTheNewLength() {
        String session = login();
        Reply shortPw = send(withSession(HttpRequest.POST("/api/v1/auth/change-password",
                Map.of("old_password", PASSWORD, "new_password", "short")), session));
        assertEquals(HttpStatus.BAD_REQUEST, shortPw.status());
        Reply wrongOld = send(withSession(HttpRequest.POST("/api/v1/auth/change-password",
                Map.of("old_password", "wrong-password", "new_password", "a-new-password")), session));
        assertEquals(Map.of("error", "invalid old password"), wrongOld.body());
        Reply changed = send(withSession(HttpRequest.POST("/api/v1/auth/change-password",
                Map.of("old_password", PASSWORD, "new_password", "a-new-password")), session));
        assertEquals(Map.of("message", "password updated successfully"), changed.body());
        assertEquals(HttpStatus.OK, send(HttpRequest.POST("/api/v1/auth/login",
                Map.of("username", "root", "password", "a-new-password"))).status());
        assertEquals(HttpStatus.UNAUTHORIZED, send(HttpRequest.POST("/api/v1/auth/login",
                Map.of("username", "root", "password", PASSWORD))).status());
    }

    @Test
    void logoutDeletesTheSessionAndClearsTheCookie() {
        String session = login();
        Reply reply = send(withSession(HttpRequest.POST("/api/v1/auth/logout", Map.of()), session));
        assertEquals(Map.of("message", "logout successful"), reply.body());
        assertTrue(reply.response().getHeaders().get(HttpHeaders.SET_COOKIE).contains("Max-Age=0"));
        assertEquals(HttpStatus.UNAUTHORIZED, send(withSession(HttpRequest.GET("/api/v1/auth/me"), session)).status());
        assertNull(sessions.findById(Secrets.sha256Hex(session)).orElse(null));
    }
}
