package io.liteboxd.api.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** host:port targets as operators write them, and the settings that refuse bad ones at start. */
class ProbeTargetTest {

    @Test
    void hostPortParsesIncludingIpv6() {
        assertEquals(new ProbeTarget(TargetKind.INTERNET, "1.1.1.1", 443), ProbeTarget.parse(TargetKind.INTERNET, "1.1.1.1:443"));
        ProbeTarget v6 = ProbeTarget.parse(TargetKind.INTERNET, "[2606:4700::1111]:443");
        assertEquals("2606:4700::1111", v6.host());
        assertEquals("internet=[2606:4700::1111]:443", v6.argument());
        for (String bad : List.of("", "host", "host:", ":80", "host:0", "host:65536", "host:http", "a b:80", "a=b:80")) {
            assertThrows(IllegalArgumentException.class, () -> ProbeTarget.parse(TargetKind.INTERNET, bad), bad);
        }
    }

    @Test
    void settingsRefuseBadTargetsAtStart() {
        SelfTestSettings ok = new SelfTestSettings("liteboxd-api.ns.svc:8080, liteboxd-gateway.ns.svc:8081", "1.1.1.1:443",
                "kubernetes.default", Duration.ofSeconds(3), 300);
        assertEquals(List.of("control-plane=liteboxd-api.ns.svc:8080", "control-plane=liteboxd-gateway.ns.svc:8081"),
                ok.controlPlane().stream().map(ProbeTarget::argument).toList());
        assertThrows(IllegalArgumentException.class, () -> new SelfTestSettings("api", "1.1.1.1:443",
                "kubernetes.default", Duration.ofSeconds(3), 300));
        assertThrows(IllegalArgumentException.class, () -> new SelfTestSettings("", "1.1.1.1",
                "kubernetes.default", Duration.ofSeconds(3), 300));
        assertThrows(IllegalArgumentException.class, () -> new SelfTestSettings("", "1.1.1.1:443",
                "x;rm", Duration.ofSeconds(3), 300));
        assertThrows(IllegalArgumentException.class, () -> new SelfTestSettings("", "1.1.1.1:443",
                "kubernetes.default", Duration.ofMillis(10), 300));
    }
}
