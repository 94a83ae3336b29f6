package io.liteboxd.egress;

/**
 * One allowlist entry: an exact domain ({@code pypi.org}) or a wildcard over its subdomains
 * ({@code *.example.com}). A wildcard does not match the domain itself: a template that wants
 * both names them both, as upstream normalisation (lower case, no trailing dot, {@code *.} only
 * in front) already leaves them.
 *
 * @param domain   the domain without the wildcard, normalised
 * @param wildcard whether this matches the subdomains of {@code domain} (and only those)
 */
public record DomainPattern(String domain, boolean wildcard) {

    public DomainPattern {
        if (!Hosts.isName(domain)) {
            throw new IllegalArgumentException("not a domain pattern: " + domain);
        }
    }

    /**
     * Parses an entry. The entry is normalised again (cheap, and a hand-written policy in a test
     * or a later config file then behaves like a template's); an IP address or anything else
     * that is not a domain name is refused, so an entry can never open an address range.
     */
    public static DomainPattern parse(String entry) {
        String normalised = Hosts.normalise(entry.strip());
        boolean wildcard = normalised.startsWith("*.");
        return new DomainPattern(wildcard ? normalised.substring(2) : normalised, wildcard);
    }

    /** Whether this entry covers {@code host}, which must already be normalised. */
    public boolean matches(String host) {
        if (!wildcard) {
            return host.equals(domain);
        }
        // "a.example.com" and "a.b.example.com", but neither "example.com" nor "badexample.com".
        int dot = host.length() - domain.length() - 1;
        return dot > 0 && host.charAt(dot) == '.' && host.endsWith(domain);
    }

    @Override
    public String toString() {
        return wildcard ? "*." + domain : domain;
    }
}
