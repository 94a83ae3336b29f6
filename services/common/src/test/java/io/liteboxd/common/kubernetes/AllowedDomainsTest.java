package io.liteboxd.common.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AllowedDomainsTest {

    @Test
    void formatsAReadableJsonArrayThatParsesBack() {
        String value = AllowedDomains.format(List.of("pypi.org", "*.example.com"));
        assertEquals("[\"pypi.org\",\"*.example.com\"]", value);
        assertEquals(Optional.of(List.of("pypi.org", "*.example.com")), AllowedDomains.parse(value));
    }

    @Test
    void anEmptyArrayIsAnEmptyList() {
        assertEquals(Optional.of(List.of()), AllowedDomains.parse("[]"));
    }

    @Test
    void anythingButAnArrayOfStringsIsNoList() {
        for (String bad : new String[] {null, "", "  ", "pypi.org", "{\"a\":1}", "[1]", "[\"a\",null]",
                "[[\"a\"]]", "[\"a\"", "\"a\""}) {
            assertTrue(AllowedDomains.parse(bad).isEmpty(), () -> "parsed: " + bad);
        }
    }
}
