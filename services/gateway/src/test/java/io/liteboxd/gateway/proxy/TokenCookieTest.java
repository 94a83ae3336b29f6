package io.liteboxd.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import org.junit.jupiter.api.Test;

class TokenCookieTest {

    static final SandboxAddress PATH = SandboxAddress.ofPath("/api/v1/sandbox/abc/port/8080/app", "x=1&access_token=tok");
    static final SandboxAddress HOST = SandboxAddress.ofHost(new SandboxHost("abc", 8080), "/app", "access_token=tok&x=1");

    @Test
    void hostModeCookieIsHostOnlyAndHostPrefixedUnderTls() {
        assertEquals("liteboxd_sandbox_token=tok; Path=/; HttpOnly; SameSite=Lax", TokenCookie.setCookie(HOST, false, "tok"));
        assertEquals("__Host-liteboxd_sandbox_token=tok; Path=/; HttpOnly; Secure; SameSite=Lax",
                TokenCookie.setCookie(HOST, true, "tok"));
    }

    @Test
    void pathModeCookieIsScopedToTheMountPath() {
        assertEquals("liteboxd_sandbox_token=tok; Path=/api/v1/sandbox/abc/port/8080/; HttpOnly; SameSite=Lax",
                TokenCookie.setCookie(PATH, false, "tok"));
        assertEquals("liteboxd_sandbox_token=tok; Path=/api/v1/sandbox/abc/port/8080/; HttpOnly; SameSite=None; Secure",
                TokenCookie.setCookie(PATH, true, "tok"));
    }

    @Test
    void onlyANavigationWithAQueryTokenIsRedirected() {
        PresentedToken query = new PresentedToken("tok", PresentedToken.Source.QUERY);
        HttpRequest<?> navigation = HttpRequest.GET("/app?access_token=tok").header("Sec-Fetch-Mode", "navigate");
        assertTrue(TokenCookie.wanted(navigation, query));
        assertFalse(TokenCookie.wanted(HttpRequest.GET("/app?access_token=tok"), query), "no fetch metadata: a script or curl");
        assertFalse(TokenCookie.wanted(HttpRequest.GET("/app").header("Sec-Fetch-Mode", "cors"), query));
        // Plain HTTP: browsers send no Fetch Metadata there, but mark navigations this way.
        assertTrue(TokenCookie.wanted(HttpRequest.GET("/app").header("Upgrade-Insecure-Requests", "1")
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"), query), "an HTTP navigation");
        assertFalse(TokenCookie.wanted(HttpRequest.GET("/app").header("Upgrade-Insecure-Requests", "1")
                .header("Accept", "*/*"), query), "not asking for a page");
        assertFalse(TokenCookie.wanted(HttpRequest.GET("/app").header("Upgrade-Insecure-Requests", "1")
                .header("Accept", "text/html").header("Sec-Fetch-Mode", "no-cors"), query), "metadata wins");
        assertFalse(TokenCookie.wanted(HttpRequest.POST("/app", "").header("Sec-Fetch-Mode", "navigate"), query));
        assertFalse(TokenCookie.wanted(navigation, new PresentedToken("tok", PresentedToken.Source.HEADER)));
        assertFalse(TokenCookie.wanted(navigation, new PresentedToken("a b", PresentedToken.Source.QUERY)),
                "not a cookie value");
    }

    @Test
    void theRedirectDropsOnlyTheToken() {
        MutableHttpResponse<?> response = TokenCookie.redirect(
                HttpRequest.GET("/api/v1/sandbox/abc/port/8080/app?x=1&access_token=tok"), PATH, "tok");
        assertEquals(303, response.code());
        assertEquals("/api/v1/sandbox/abc/port/8080/app?x=1", response.getHeaders().get("Location"));
        assertEquals("no-store", response.getHeaders().get("Cache-Control"));
        assertTrue(response.getHeaders().get("Set-Cookie").startsWith("liteboxd_sandbox_token=tok;"));
        assertEquals("/app?x=1", TokenCookie.redirect(HttpRequest.GET("/app?access_token=tok&x=1"), HOST, "tok")
                .getHeaders().get("Location"));
    }

    @Test
    void httpsIsTlsOrWhatTheProxyInFrontSays() {
        assertFalse(TokenCookie.isHttps(HttpRequest.GET("/")));
        assertTrue(TokenCookie.isHttps(HttpRequest.GET("/").header("X-Forwarded-Proto", "https")));
        assertTrue(TokenCookie.isHttps(HttpRequest.GET("/").header("X-Forwarded-Proto", "HTTPS, http")));
        assertFalse(TokenCookie.isHttps(HttpRequest.GET("/").header("X-Forwarded-Proto", "http")));
    }
}
