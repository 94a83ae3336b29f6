package io.liteboxd.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllowlistTest {

    @Test
    void anExactEntryMatchesOnlyThatHost() {
        Allowlist list = Allowlist.of(List.of("pypi.org"));
        assertTrue(list.allows("pypi.org"));
        assertTrue(list.allows("PyPI.ORG"), "case-insensitive");
        assertTrue(list.allows("pypi.org."), "trailing dot");
        assertFalse(list.allows("files.pypi.org"));
        assertFalse(list.allows("pypi.org.evil.test"));
        assertFalse(list.allows("xpypi.org"));
    }

    @Test
    void aWildcardMatchesEverySubdomainButNotTheDomainItself() {
        Allowlist list = Allowlist.of(List.of("*.example.com"));
        assertTrue(list.allows("a.example.com"));
        assertTrue(list.allows("a.b.example.com"));
        assertTrue(list.allows("A.Example.Com."));
        assertFalse(list.allows("example.com"));
        assertFalse(list.allows("badexample.com"));
        assertFalse(list.allows("a.example.com.evil.test"));
        assertFalse(list.allows(".example.com"));
    }

    @Test
    void anIpLiteralOrAnythingElseThatIsNoNameNeverMatches() {
        Allowlist list = Allowlist.of(List.of("*.example.com", "example.org"));
        assertFalse(list.allows("93.184.216.34"));
        assertFalse(list.allows("::1"));
        assertFalse(list.allows("[::1]"));
        assertFalse(list.allows("evil.test\0.example.com"), "a NUL the resolver might cut at");
        assertFalse(list.allows("evil.test%00.example.com"));
        assertFalse(list.allows("evil test.example.com"));
        assertFalse(list.allows(""));
    }

    @Test
    void entriesAreDomainsOrLeadingWildcardsOnly() {
        for (String bad : List.of("10.0.0.1", "::1", "*", "*.", "*.*.example.com", "a.*.example.com", "",
                "exa mple.com", "127.1", "2130706433", "example.com/path")) {
            assertThrows(IllegalArgumentException.class, () -> Allowlist.of(List.of(bad)), bad);
        }
    }

    @Test
    void entriesAreNormalisedAgain() {
        DomainPattern pattern = DomainPattern.parse(" *.Example.COM. ");
        assertEquals(new DomainPattern("example.com", true), pattern);
        assertEquals("*.example.com", pattern.toString());
    }

    @Test
    void theEmptyListAllowsNothing() {
        assertFalse(Allowlist.NONE.allows("pypi.org"));
        assertFalse(Allowlist.of(List.of()).allows("pypi.org"));
    }
}
