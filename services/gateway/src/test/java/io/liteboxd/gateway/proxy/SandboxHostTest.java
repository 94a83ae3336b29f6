package io.liteboxd.gateway.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SandboxHostTest {

    @Test
    void aHostUnderTheSandboxDomainNamesPortAndSandbox() {
        assertEquals(Optional.of(new SandboxHost("9a7e0001", 8080)), SandboxHost.match("8080-9a7e0001.sbx.test", "sbx.test"));
        assertEquals(Optional.of(new SandboxHost("9a7e0001", 80)), SandboxHost.match("80-9A7E0001.SBX.Test:30080", "sbx.test"),
                "case-insensitive, port stripped");
        assertEquals(Optional.of(new SandboxHost("abc", 3000)), SandboxHost.match("3000-abc.sbx.test.", "sbx.test"),
                "a trailing dot is the same host");
    }

    @Test
    void otherHostsAreNotSandboxHosts() {
        assertEquals(Optional.empty(), SandboxHost.match("liteboxd.example.com", "sbx.test"));
        assertEquals(Optional.empty(), SandboxHost.match("8080-abc.sbx.test.evil.example", "sbx.test"));
        assertEquals(Optional.empty(), SandboxHost.match("8080-abc.xsbx.test", "sbx.test"), "a suffix, not a subdomain");
        assertEquals(Optional.empty(), SandboxHost.match("[::1]:8080", "sbx.test"));
        assertEquals(Optional.empty(), SandboxHost.match(null, "sbx.test"));
        assertEquals(Optional.empty(), SandboxHost.match("8080-abc.sbx.test", ""), "host mode off");
    }

    @Test
    void everyHostUnderTheDomainBelongsToSandboxes() {
        for (String host : new String[] {"8080-abcd1234.sbx.test", "SBX.test.", "junk.sbx.test:30080", "a.b.sbx.test"}) {
            assertTrue(SandboxHost.isUnderDomain(host, "sbx.test"), host);
        }
        for (String host : new String[] {"sbx.test.evil", "xsbx.test", "liteboxd.test", "[::1]:8080"}) {
            assertFalse(SandboxHost.isUnderDomain(host, "sbx.test"), host);
        }
        assertFalse(SandboxHost.isUnderDomain("8080-abcd1234.sbx.test", ""), "host mode off");
        assertFalse(SandboxHost.isUnderDomain(null, "sbx.test"));
    }

    @Test
    void aMalformedSandboxHostIsRefusedNeverServedByTheGateway() {
        for (String host : new String[] {"sbx.test", "abc.sbx.test", "-abc.sbx.test", "8080-.sbx.test",
                "a.8080-abc.sbx.test", "8080-ab_c.sbx.test"}) {
            GatewayError e = assertThrows(GatewayError.class, () -> SandboxHost.match(host, "sbx.test"), host);
            assertEquals(404, e.status().getCode(), host);
        }
        for (String host : new String[] {"0-abc.sbx.test", "65536-abc.sbx.test", "x1-abc.sbx.test", "٣-abc.sbx.test"}) {
            GatewayError e = assertThrows(GatewayError.class, () -> SandboxHost.match(host, "sbx.test"), host);
            assertEquals(400, e.status().getCode(), host);
            assertTrue(e.getMessage().contains("port"));
        }
    }
}
