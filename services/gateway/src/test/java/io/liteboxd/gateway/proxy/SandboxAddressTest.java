package io.liteboxd.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SandboxAddressTest {

    @Test
    void pathModeTakesSandboxAndPortFromThePathAndTheTokenFromTheQuery() {
        SandboxAddress a = SandboxAddress.ofPath("/api/v1/sandbox/abc/port/8080/x/y%2F", "a=1&access_token=t%2B1&b=2");
        assertEquals("abc", a.sandboxId());
        assertEquals(8080, a.port());
        assertEquals("/x/y%2F?a=1&b=2", a.pathAndQuery());
        assertEquals("t+1", a.queryToken());
        assertEquals("/api/v1/sandbox/abc/port/8080/", a.mountPath());
        assertTrue(a.pathMode());
        assertEquals("", SandboxAddress.ofPath("/api/v1/sandbox/abc/port/8080", null).path(), "a redirect to the slash");
        assertEquals(404, assertThrows(GatewayError.class, () -> SandboxAddress.ofPath("/api/v1/sandbox/abc/x", null))
                .status().getCode());
        assertEquals(400, assertThrows(GatewayError.class, () -> SandboxAddress.ofPath("/api/v1/sandbox//port/1", null))
                .status().getCode());
    }

    @Test
    void hostModeKeepsTheWholePath() {
        SandboxAddress a = SandboxAddress.ofHost(new SandboxHost("abc", 3000), "/api/v1/sandbox/x/port/1/", "access_token=t");
        assertEquals("/api/v1/sandbox/x/port/1/", a.pathAndQuery());
        assertEquals("t", a.queryToken());
        assertNull(a.mountPath());
        assertFalse(a.pathMode());
        assertEquals("/", SandboxAddress.ofHost(new SandboxHost("abc", 3000), "", null).pathAndQuery());
    }
}
