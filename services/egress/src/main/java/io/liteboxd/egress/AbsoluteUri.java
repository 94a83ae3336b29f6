package io.liteboxd.egress;

/**
 * The request target of a plain-HTTP proxy request ({@code GET http://host[:port]/path?q}), split
 * into the destination and the origin-form target the upstream receives ({@code /path?q}).
 */
record AbsoluteUri(HostPort target, String originForm) {

    private static final String HTTP = "http://";

    /** @throws IllegalArgumentException when it is no absolute {@code http://} URL, with the client's answer */
    static AbsoluteUri parse(String uri) {
        if (uri.startsWith("/") || uri.equals("*")) {
            throw new IllegalArgumentException(
                    "not a proxy request: send an absolute http:// URL, or CONNECT host:port");
        }
        if (!uri.regionMatches(true, 0, HTTP, 0, HTTP.length())) {
            throw new IllegalArgumentException("only http:// URLs are forwarded; use CONNECT for anything else");
        }
        String rest = uri.substring(HTTP.length());
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int at = rest.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        String authority = rest.substring(0, end);
        if (authority.indexOf('@') >= 0) {
            // http://allowed.test@elsewhere/ goes to "elsewhere": refused rather than guessed at.
            throw new IllegalArgumentException("credentials in the URL are not supported");
        }
        String path = rest.substring(end);
        int fragment = path.indexOf('#');
        if (fragment >= 0) {
            path = path.substring(0, fragment); // never sent on the wire
        }
        if (path.isEmpty() || path.startsWith("?")) {
            path = "/" + path;
        }
        return new AbsoluteUri(HostPort.parse(authority, 80), path);
    }
}
