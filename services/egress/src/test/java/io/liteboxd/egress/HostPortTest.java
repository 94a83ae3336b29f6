package io.liteboxd.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void connectTargets() {
        assertEquals(new HostPort("pypi.org", 443), HostPort.parse("pypi.org:443", -1));
        assertEquals(new HostPort("pypi.org", 8443), HostPort.parse("PyPI.Org.:8443", -1), "normalised");
        assertEquals(new HostPort("::1", 443), HostPort.parse("[::1]:443", -1));
    }

    @Test
    void theDefaultPortOnlyWhenThereIsOne() {
        assertEquals(new HostPort("a.test", 80), HostPort.parse("a.test", 80));
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse("a.test", -1));
    }

    @Test
    void badAuthorities() {
        for (String bad : List.of("a.test:0", "a.test:65536", "a.test:+80", "a.test:", "a.test:8o", ":80", "",
                "::1:443", "[::1", "[::1]443", "a.test:123456")) {
            assertThrows(IllegalArgumentException.class, () -> HostPort.parse(bad, 80), bad);
        }
    }

    @Test
    void theHostHeaderLeavesOutPort80() {
        assertEquals("a.test", new HostPort("a.test", 80).hostHeader());
        assertEquals("a.test:8080", new HostPort("a.test", 8080).hostHeader());
    }

    @Test
    void absoluteUrlsSplitIntoDestinationAndOriginForm() {
        assertEquals(new AbsoluteUri(new HostPort("a.test", 80), "/x/y?q=1"), AbsoluteUri.parse("http://a.test/x/y?q=1#frag"));
        assertEquals(new AbsoluteUri(new HostPort("a.test", 8080), "/"), AbsoluteUri.parse("HTTP://A.test:8080"));
        assertEquals(new AbsoluteUri(new HostPort("a.test", 80), "/?q"), AbsoluteUri.parse("http://a.test?q"));
    }

    @Test
    void onlyAbsoluteHttpUrlsAreProxyRequests() {
        for (String bad : List.of("/index.html", "*", "https://a.test/", "ftp://a.test/", "a.test:80",
                "http://user@a.test/", "http://a.test@b.test/", "http:///path")) {
            assertThrows(IllegalArgumentException.class, () -> AbsoluteUri.parse(bad), bad);
        }
    }
}
