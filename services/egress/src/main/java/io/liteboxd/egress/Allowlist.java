package io.liteboxd.egress;

import java.util.Collection;
import java.util.List;

/** A sandbox's allowed domains ({@code network.allowedDomains} of its template). Immutable. */
public final class Allowlist {

    /** Allows nothing. */
    public static final Allowlist NONE = new Allowlist(List.of());

    private final List<DomainPattern> patterns;

    private Allowlist(List<DomainPattern> patterns) {
        this.patterns = List.copyOf(patterns);
    }

    /** @throws IllegalArgumentException for an entry that is not a domain or {@code *.domain} */
    public static Allowlist of(Collection<String> entries) {
        return new Allowlist(entries.stream().map(DomainPattern::parse).toList());
    }

    /**
     * Whether a request to {@code host} may leave. The host is compared case-insensitively and
     * without a trailing dot; an IP literal, or anything else that is not a DNS name, never
     * matches: entries are domains, and an address says nothing about which domain it serves.
     */
    public boolean allows(String host) {
        String normalised = Hosts.normalise(host);
        if (!Hosts.isName(normalised)) {
            return false;
        }
        for (DomainPattern pattern : patterns) {
            if (pattern.matches(normalised)) {
                return true;
            }
        }
        return false;
    }

    public List<DomainPattern> patterns() {
        return patterns;
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
