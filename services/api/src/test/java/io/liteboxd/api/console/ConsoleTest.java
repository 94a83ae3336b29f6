package io.liteboxd.api.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.api.SqliteTestDatabase;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built console (the liteboxd-web jar on the classpath) served at /, with the headers that keep
 * it from being framed or running foreign scripts, while the API's own paths stay the API's.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleTest implements SqliteTestDatabase {

    @Inject
    @Client("/")
    HttpClient http;

    @Test
    void indexAtTheRootWithItsProtections() {
        HttpResponse<String> index = http.toBlocking().exchange(HttpRequest.GET("/"), String.class);
        assertEquals(HttpStatus.OK, index.getStatus());
        assertTrue(index.getContentType().orElseThrow().toString().startsWith("text/html"));
        assertTrue(index.body().contains("<div id=\"app\">"), index.body());
        String csp = index.header("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("'unsafe-eval'"), csp);
        assertEquals("DENY", index.header("X-Frame-Options"));
        assertEquals("nosniff", index.header("X-Content-Type-Options"));
        assertEquals("no-referrer", index.header("Referrer-Policy"));
        assertEquals("no-cache", index.header("Cache-Control"), "index.html revalidates: an upgrade shows at the next load");
        assertNull(index.header("Cross-Origin-Opener-Policy"), "over plain HTTP browsers only warn about COOP");
        HttpResponse<String> behindTls = http.toBlocking().exchange(
                HttpRequest.GET("/").header("X-Forwarded-Proto", "https"), String.class);
        assertEquals("same-origin", behindTls.header("Cross-Origin-Opener-Policy"));
    }

    @Test
    void hashedAssetsAreCachedForGood() {
        String index = http.toBlocking().retrieve("/");
        Matcher script = Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"").matcher(index);
        assertTrue(script.find(), index);
        HttpResponse<String> asset = http.toBlocking().exchange(HttpRequest.GET("/" + script.group(1)), String.class);
        assertEquals(HttpStatus.OK, asset.getStatus());
        assertTrue(asset.getContentType().orElseThrow().toString().contains("javascript"), asset.getContentType().toString());
        assertEquals("public, max-age=31536000, immutable", asset.header("Cache-Control"));
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET("/favicon.svg"), String.class).getStatus());
    }

    @Test
    void theApiKeepsItsOwnAnswers() {
        // Unknown /api/v1 routes stay the API's (the auth filter answers first, as upstream's middleware).
        var unknown = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/no-such-route"), String.class));
        assertEquals(HttpStatus.UNAUTHORIZED, unknown.getStatus());
        assertNull(unknown.getResponse().header("Content-Security-Policy"), "API answers are not the console's");
        var unauthorized = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/sandboxes/metadata"), String.class));
        assertEquals(HttpStatus.UNAUTHORIZED, unauthorized.getStatus());
        var missing = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/no-such-file.js"), String.class));
        assertEquals(HttpStatus.NOT_FOUND, missing.getStatus());
        assertEquals(java.util.Map.of("status", "ok"), http.toBlocking().retrieve(HttpRequest.GET("/health"), java.util.Map.class));
    }
}
