package io.liteboxd.api.auth;

import io.micronaut.core.annotation.Nullable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A set of CIDR ranges ({@code 10.0.0.0/8}, {@code ::1/128}; a bare address is a single host).
 * Only numeric literals are ever parsed: a host name is never looked up in DNS, here or in
 * {@link #contains}, so a forged {@code X-Forwarded-For} cannot make the server resolve names.
 */
final class IpRanges {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<Range> ranges;

    private IpRanges(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses every entry; a malformed one is a configuration error, reported with the entry. */
    static IpRanges parse(List<String> cidrs) {
        return new IpRanges(cidrs.stream().map(String::trim).filter(s -> !s.isEmpty()).map(IpRanges::range).toList());
    }

    private static Range range(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] address = literal(slash < 0 ? cidr : cidr.substring(0, slash))
                .orElseThrow(() -> new IllegalArgumentException("not an IP range: " + cidr)).getAddress();
        int bits = address.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IP range: " + cidr);
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("not an IP range: " + cidr);
        }
        return new Range(address, prefix);
    }

    /** Whether {@code address} (a numeric literal) lies in one of the ranges; anything else does not. */
    boolean contains(@Nullable String address) {
        if (address == null) {
            return false;
        }
        Optional<InetAddress> parsed = literal(address);
        return parsed.isPresent() && ranges.stream().anyMatch(r -> r.contains(parsed.get().getAddress()));
    }

    /**
     * A numeric IPv4 or IPv6 address ({@code [::1]} brackets allowed); IPv4-mapped IPv6 comes back
     * as IPv4, so {@code ::ffff:10.0.0.1} is in {@code 10.0.0.0/8}. Empty for anything else.
     */
    static Optional<InetAddress> literal(String text) {
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (!IPV4.matcher(s).matches() && !IPV6.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s)); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
