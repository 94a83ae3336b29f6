package io.liteboxd.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void aByteAlignedRange() throws Exception {
        Cidr range = Cidr.parse("10.0.0.0/8");
        assertTrue(range.contains(ip("10.0.0.0")));
        assertTrue(range.contains(ip("10.255.1.2")));
        assertFalse(range.contains(ip("11.0.0.0")));
        assertFalse(range.contains(ip("9.255.255.255")));
    }

    @Test
    void aRangeThatEndsInsideAByte() throws Exception {
        Cidr range = Cidr.parse("172.16.0.0/12");
        assertTrue(range.contains(ip("172.16.0.1")));
        assertTrue(range.contains(ip("172.31.255.255")));
        assertFalse(range.contains(ip("172.32.0.0")));
        assertFalse(range.contains(ip("172.15.255.255")));
    }

    @Test
    void ipv6RangesHoldOnlyIpv6Addresses() throws Exception {
        Cidr range = Cidr.parse("fd00::/8");
        assertTrue(range.contains(ip("fd12:3456::1")));
        assertFalse(range.contains(ip("fe80::1")));
        assertFalse(range.contains(ip("10.0.0.1")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("::1")));
    }

    @Test
    void hostBitsAreClearedAndABareAddressIsARangeOfOne() throws Exception {
        assertEquals("192.168.1.0/24", Cidr.parse("192.168.1.77/24").toString());
        assertEquals(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.1.2.3/8"));
        Cidr single = Cidr.parse("169.254.169.254");
        assertEquals(32, single.prefix());
        assertTrue(single.contains(ip("169.254.169.254")));
        assertFalse(single.contains(ip("169.254.169.253")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9")));
    }

    @Test
    void onlyLiteralRangesParse() {
        for (String bad : List.of("example.com/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0/8",
                "fd00::/129", "::ffff:10.0.0.0/104", "", "/8")) {
            assertThrows(IllegalArgumentException.class, () -> Cidr.parse(bad), bad);
        }
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // literals only: no DNS
    }
}
