package io.liteboxd.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micronaut.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The helper's small JSON payloads, read as the untrusted input they are. */
class SessionHelloTest {

    private final JsonMapper json = JsonMapper.createDefault();

    @Test
    void aHelloNeedsAValidIdAndNonNegativeOffsets() {
        SessionHello hello = SessionHello.parse(json,
                "{\"id\":\"0f3a\",\"pid\":7,\"tty\":true,\"cursor\":12,\"dropped\":3,\"running\":true}");
        assertEquals(new SessionHello("0f3a", 7, true, 12, 3, true), hello);
        assertNull(SessionHello.parse(json, "{\"id\":\"../x\",\"pid\":7}"));
        assertNull(SessionHello.parse(json, "{\"id\":\"a\",\"cursor\":-1}"));
        assertNull(SessionHello.parse(json, "not json"));
    }

    @Test
    void exitCodesAndErrorsNeverTrustTheHelper() {
        assertEquals(3, SessionHello.exitCode(json, "{\"exitCode\":3}"));
        assertEquals(1, SessionHello.exitCode(json, "garbage"), "unreadable: a failure");
        assertEquals("boom  here", SessionHello.message(json, "{\"message\":\"boom\\u001b here\"}"), "a control character becomes a space");
        assertEquals("failed", SessionHello.message(json, "{}"));
    }

    @Test
    void theCommandLinesErrorIsItsJsonElseItsTextPrintableAndShort() {
        byte[] cli = "{\"error\":\"no such session: \\\"x\\\"\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("no such session: \"x\"", SessionHello.helperError(json, cli));
        byte[] runtime = "exec: \"/.liteboxd/lbx-session\": no such file\n".getBytes(StandardCharsets.UTF_8);
        assertEquals("exec: \"/.liteboxd/lbx-session\": no such file", SessionHello.helperError(json, runtime));
        assertEquals(200, SessionHello.helperError(json, "x".repeat(5000).getBytes(StandardCharsets.UTF_8)).length());
        assertEquals("failed", SessionHello.helperError(json, new byte[0]));
    }
}
