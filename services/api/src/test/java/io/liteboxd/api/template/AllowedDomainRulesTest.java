package io.liteboxd.api.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules a live allowlist edit applies, the same as a template's (TemplateSpecNetworkTest). */
class AllowedDomainRulesTest {

    @Test
    void normalisesWithoutTheTemplatePrefix() {
        assertEquals(List.of("pypi.org", "*.example.com"),
                AllowedDomainRules.normalize(List.of("PyPI.org.", " *.example.com", "pypi.org")));
        assertEquals(List.of(), AllowedDomainRules.normalize(List.of()));
    }

    @Test
    void refusesWithUpstreamsMessageAlone() {
        IllegalArgumentException ip = assertThrows(IllegalArgumentException.class,
                () -> AllowedDomainRules.normalize(List.of("10.0.0.1")));
        assertEquals("allowedDomains contains invalid value: 10.0.0.1", ip.getMessage());
        List<String> withNull = new ArrayList<>();
        withNull.add(null);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> AllowedDomainRules.normalize(withNull));
        assertEquals("allowedDomains contains empty value", empty.getMessage());
    }
}
