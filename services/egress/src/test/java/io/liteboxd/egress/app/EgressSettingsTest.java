package io.liteboxd.egress.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.egress.Cidr;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EgressSettingsTest {

    private static EgressSettings settings(int port, List<String> cidrs, List<Integer> ports, Duration idle) {
        return new EgressSettings("ns", port, cidrs, ports, Duration.ofSeconds(10), Duration.ofSeconds(30), idle, 10);
    }

    @Test
    void defaultsToHttpAndHttpsAndPassesTheRangesToTheProxy() {
        EgressSettings s = settings(3128, List.of(" 10.244.0.0/16", "10.96.0.0/12", ""), null, Duration.ofMinutes(5));
        assertEquals(Set.of(80, 443), s.portSet());
        assertEquals(List.of("10.244.0.0/16", "10.96.0.0/12"), s.blockedCidrs());
        var proxy = s.proxySettings();
        assertEquals(Set.of(Cidr.parse("10.244.0.0/16"), Cidr.parse("10.96.0.0/12")), proxy.blockedCidrs());
        assertTrue(proxy.blockLoopback(), "the service never lets a sandbox reach the proxy's own loopback");
        assertEquals(Duration.ofMinutes(5), proxy.idleTimeout());
    }

    @Test
    void refusesWhatWouldOnlyShowAsRefusedOrLeakedTraffic() {
        assertThrows(IllegalArgumentException.class, () -> settings(-1, null, null, Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> settings(70000, null, null, Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> settings(3128, List.of("10.244.0.0/33"), null, Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> settings(3128, List.of("pods"), null, Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> settings(3128, null, List.of(443, 0), Duration.ofMinutes(5)));
        assertThrows(IllegalArgumentException.class, () -> settings(3128, null, null, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new EgressSettings(" ", 3128, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> new EgressSettings("ns", 3128, null, null,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
    }
}
