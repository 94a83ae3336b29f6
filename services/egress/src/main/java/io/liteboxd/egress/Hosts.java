package io.liteboxd.egress;

import io.netty.util.NetUtil;
import java.util.Locale;

/**
 * Host names as the proxy compares them. Every check works on the normalised form, so
 * {@code PyPI.org.} and {@code pypi.org} are the same host to the allowlist, the SNI check and
 * the audit.
 */
final class Hosts {

    private static final int MAX_NAME = 253;
    private static final int MAX_LABEL = 63;

    private Hosts() {}

    /** Lower case (locale-independent), one trailing dot (the DNS root) removed. */
    static String normalise(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /** An IPv4 or IPv6 literal (brackets allowed around IPv6), never a name to resolve. */
    static boolean isIpLiteral(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return NetUtil.isValidIpV4Address(bare) || NetUtil.isValidIpV6Address(bare);
    }

    /**
     * A DNS name the proxy is willing to match and resolve: dot-separated labels of
     * {@code [a-z0-9_-]}, each 1 to 63 characters, 253 at most in all. Anything else is refused
     * rather than handed to a resolver, where a NUL, a percent sign or a space could mean
     * something else than it means to the allowlist ({@code evil.org\0.example.com} ends in
     * {@code .example.com}).
     *
     * <p>The last label must start with a letter, as every top-level domain does. That turns
     * away the legacy IPv4 spellings resolvers still accept ({@code 2130706433},
     * {@code 127.1}, {@code 0x7f000001}), which are IP literals in disguise.</p>
     */
    static boolean isName(String normalised) {
        if (normalised.isEmpty() || normalised.length() > MAX_NAME) {
            return false;
        }
        int labelStart = 0;
        for (int i = 0; i <= normalised.length(); i++) {
            if (i == normalised.length() || normalised.charAt(i) == '.') {
                int length = i - labelStart;
                if (length == 0 || length > MAX_LABEL) {
                    return false;
                }
                labelStart = i + 1;
                continue;
            }
            char c = normalised.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!allowed) {
                return false;
            }
        }
        char lastLabelStart = normalised.charAt(normalised.lastIndexOf('.') + 1);
        return lastLabelStart >= 'a' && lastLabelStart <= 'z';
    }
}
