package io.liteboxd.api.template;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code network.allowedDomains}: upstream's normalisation (trim, lower case, no trailing dot,
 * duplicates dropped, {@code *.} only as a prefix) and its checks, for a template's spec and for
 * a running sandbox's live edit alike ({@code PUT /sandboxes/{id}/allowed-domains}).
 */
public final class AllowedDomainRules {

    private static final Pattern LABEL = Pattern.compile("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$");

    private AllowedDomainRules() {}

    /**
     * The normalised list, in the given order.
     *
     * @throws IllegalArgumentException with upstream's message ({@code allowedDomains contains
     *         empty value} / {@code allowedDomains contains invalid value: <original>})
     */
    public static List<String> normalize(List<String> allowedDomains) {
        Set<String> domains = new LinkedHashSet<>();
        for (String original : allowedDomains) {
            String domain = original == null ? "" : original.trim().toLowerCase(Locale.ROOT);
            if (domain.endsWith(".")) {
                domain = domain.substring(0, domain.length() - 1);
            }
            if (domain.isEmpty()) {
                throw new IllegalArgumentException("allowedDomains contains empty value");
            }
            String plain = domain.startsWith("*.") ? domain.substring(2) : domain;
            if (domain.contains("://") || domain.contains("/") || domain.contains(":") || !isDomain(plain)) {
                throw new IllegalArgumentException("allowedDomains contains invalid value: " + original);
            }
            domains.add(domain);
        }
        return new ArrayList<>(domains);
    }

    /**
     * Upstream's rule (labels of {@code [a-z0-9-]}, 253 at most), plus one it lacked: the last label
     * starts with a letter, as every top-level domain does. Upstream took {@code 10.0.0.1} (or
     * {@code 127.1}) as a domain; the egress proxy never matches an address against a domain list
     * (services/egress, {@code Allowlist}), so such an entry would only look like it allowed something.
     */
    private static boolean isDomain(String domain) {
        if (domain.length() > 253 || domain.contains("*")) {
            return false;
        }
        for (String label : domain.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        char topLevel = domain.charAt(domain.lastIndexOf('.') + 1);
        return topLevel >= 'a' && topLevel <= 'z';
    }
}
