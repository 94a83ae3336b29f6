package io.liteboxd.api.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.liteboxd.api.template.TemplateSpec.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateSpecNetworkTest {

    private static Network normalize(String... domains) {
        return TemplateSpecRules.normalizeNetwork(new Network(true, List.of(domains)));
    }

    @Test
    void domainsAreNormalisedAsUpstreamDoes() {
        assertEquals(List.of("pypi.org", "*.example.com", "a-1.b2.io", "xn--bcher-kva.example"),
                normalize(" PyPI.org. ", "*.Example.com", "pypi.org", "a-1.b2.io", "xn--bcher-kva.example").allowedDomains());
    }

    @Test
    void ipLiteralsAndNumericNamesAreRefusedWithUpstreamsText() {
        for (String ip : List.of("10.0.0.1", "127.1", "2130706433", "*.10.0.0.1", "1.2.3.4.")) {
            TemplateException e = assertThrows(TemplateException.class, () -> normalize("pypi.org", ip));
            assertEquals("invalid spec: allowedDomains contains invalid value: " + ip, e.getMessage());
        }
    }

    @Test
    void upstreamsOtherRefusalsStay() {
        for (String bad : List.of("https://x.io", "x.io/path", "x.io:443", "a.*.io", "*", "-a.io", "[::1]", "::1")) {
            TemplateException e = assertThrows(TemplateException.class, () -> normalize(bad));
            assertEquals("invalid spec: allowedDomains contains invalid value: " + bad, e.getMessage());
        }
        TemplateException empty = assertThrows(TemplateException.class, () -> normalize(" "));
        assertEquals("invalid spec: allowedDomains contains empty value", empty.getMessage());
    }
}
