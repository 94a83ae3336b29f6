package io.liteboxd.egress;

/**
 * The destination a request names: a {@code CONNECT} target or the authority of an absolute URL.
 *
 * @param host normalised (lower case, no trailing dot); an IPv6 literal without its brackets
 * @param port 1 to 65535
 */
record HostPort(String host, int port) {

    /**
     * Parses {@code host[:port]} or {@code [ipv6][:port]}.
     *
     * @param defaultPort the port when none is written; -1 when one is required
     * @throws IllegalArgumentException when it is not such an authority
     */
    static HostPort parse(String authority, int defaultPort) {
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed [ in " + authority);
            }
            host = authority.substring(1, close);
            String rest = authority.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("not host:port: " + authority);
                }
                port = rest.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0 && authority.indexOf(':') != colon) {
                throw new IllegalArgumentException("an IPv6 address needs brackets: " + authority);
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("no host in " + authority);
        }
        int number = port == null ? defaultPort : parsePort(port, authority);
        if (number < 1) {
            throw new IllegalArgumentException("no port in " + authority);
        }
        return new HostPort(Hosts.normalise(host), number);
    }

    private static int parsePort(String digits, String authority) {
        // Digits only: Integer.parseInt would take "+80".
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad port in " + authority);
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + authority);
        }
        return port;
    }

    /** The Host header for this destination ({@code :80} left out, as clients write it). */
    String hostHeader() {
        return port == 80 ? host : host + ":" + port;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
