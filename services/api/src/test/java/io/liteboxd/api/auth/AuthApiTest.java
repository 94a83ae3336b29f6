package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
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

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("admin.username", "root", "admin.initial.password", PASSWORD);
    }

    @BeforeEach
    void resetCredentials() {
        sessions.deleteAll();
        apiKeys.deleteAll();
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
    void loginBehindTlsProxyMarksTheCookieSecure() {
        Reply reply = send(HttpRequest.POST("/api/v1/auth/login", Map.of("username", "root", "password", PASSWORD))
                .header("X-Forwarded-Proto", "https"));
        assertTrue(reply.response().getHeaders().get(HttpHeaders.SET_COOKIE).contains("Secure"));
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
    void apiKeysAuthenticateAsApiKeyButCannotManageCredentials() {
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
        for (int i = 0; i < 50 && apiKeys.findById((String) body.get("id")).orElseThrow().lastUsedAt() == null; i++) {
            sleep();
        }
        assertNotNull(apiKeys.findById((String) body.get("id")).orElseThrow().lastUsedAt());
    }

    static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
