package io.liteboxd.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {

    static final IpRanges TRUSTED = IpRanges.parse(List.of(ClientAddressSettings.PRIVATE_RANGES.split(",")));

    @Test
    void rangesMatchByPrefixInBothFamilies() {
        assertTrue(TRUSTED.contains("10.1.2.3"));
        assertTrue(TRUSTED.contains("172.31.255.255"));
        assertFalse(TRUSTED.contains("172.32.0.1"));
        assertTrue(TRUSTED.contains("::1"));
        assertTrue(TRUSTED.contains("fd00::1"), "fc00::/7 covers fd00::/8");
        assertFalse(TRUSTED.contains("2001:db8::1"));
        assertTrue(TRUSTED.contains("::ffff:192.168.1.1"), "IPv4-mapped IPv6 counts as IPv4");
        assertTrue(IpRanges.parse(List.of("203.0.113.9")).contains("203.0.113.9"), "a bare address is one host");
        assertFalse(TRUSTED.contains("localhost"), "names are never resolved");
        assertFalse(TRUSTED.contains("unknown"));
    }

    @Test
    void malformedRangesAreConfigurationErrors() {
        for (String bad : List.of("10.0.0.0/33", "example.com/8", "10.0.0.0/x", "::1/129")) {
            assertThrows(IllegalArgumentException.class, () -> IpRanges.parse(List.of(bad)), bad);
        }
        assertFalse(IpRanges.parse(List.of("", " ")).contains("10.0.0.1"), "blank entries are ignored");
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertEquals("198.51.100.4", ClientAddress.resolve("198.51.100.4", List.of("10.0.0.1"), TRUSTED));
    }

    @Test
    void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
        // The client forged "1.1.1.1"; the ingress appended the real peer 203.0.113.7; an internal
        // proxy appended 10.0.0.5.
        assertEquals("203.0.113.7",
                ClientAddress.resolve("10.0.0.9", List.of("1.1.1.1, 203.0.113.7", "10.0.0.5"), TRUSTED));
        assertEquals("2001:db8::1", ClientAddress.resolve("127.0.0.1", List.of("[2001:db8::1]:443"), TRUSTED));
        assertEquals("203.0.113.7", ClientAddress.resolve("127.0.0.1", List.of("203.0.113.7:5678"), TRUSTED));
        assertEquals("10.0.0.1", ClientAddress.resolve("10.0.0.9", List.of("10.0.0.1, 10.0.0.2"), TRUSTED),
                "all hops trusted: the first");
        assertEquals("10.0.0.9", ClientAddress.resolve("10.0.0.9", List.of(), TRUSTED), "no header: the peer");
        assertEquals("x".repeat(ClientAddress.MAX_LENGTH),
                ClientAddress.resolve("10.0.0.9", List.of("x".repeat(500)), TRUSTED), "garbage is cut short");
    }
}
