package io.liteboxd.gateway.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SetCookieRewriterTest {

    static final String MOUNT = "/api/v1/sandbox/abc/port/8080/";

    @Test
    void controlPlaneCookiesAreDroppedInEveryMode() {
        for (String cookie : List.of("liteboxd_session=stolen; Path=/", "__Host-liteboxd_session=x; Path=/; Secure",
                "LITEBOXD_SESSION=x", " liteboxd_sandbox_token=t", "__Host-liteboxd_sandbox_token=t; Secure; Path=/",
                "=liteboxd_session=x", "liteboxd_session")) {
            assertEquals(Optional.empty(), SetCookieRewriter.rewrite(cookie, null), cookie);
            assertEquals(Optional.empty(), SetCookieRewriter.rewrite(cookie, MOUNT), cookie);
        }
    }

    @Test
    void hostModeMakesCookiesHostOnly() {
        assertEquals(Optional.of("app=1; Path=/app; HttpOnly"),
                SetCookieRewriter.rewrite("app=1; Domain=sbx.test; Path=/app; HttpOnly", null));
        assertEquals(Optional.of("app=1; Secure"), SetCookieRewriter.rewrite("app=1; domain=.example.com; Secure", null));
    }

    @Test
    void pathModeMovesThePathUnderTheMount() {
        assertEquals(Optional.of("app=1; Path=/api/v1/sandbox/abc/port/8080/app; HttpOnly"),
                SetCookieRewriter.rewrite("app=1; Path=/app; HttpOnly; Domain=localhost", MOUNT));
        assertEquals(Optional.of("a=1; Path=/api/v1/sandbox/abc/port/8080/"), SetCookieRewriter.rewrite("a=1; path=/", MOUNT));
        assertEquals(Optional.of("a=1; Path=/api/v1/sandbox/abc/port/8080/"), SetCookieRewriter.rewrite("a=1; Path=relative", MOUNT),
                "an invalid path: the mount itself");
        assertEquals(Optional.of("a=1; Max-Age=60"), SetCookieRewriter.rewrite("a=1; Max-Age=60", MOUNT),
                "no Path: the browser's default is the request's directory, already under the mount");
    }
}
