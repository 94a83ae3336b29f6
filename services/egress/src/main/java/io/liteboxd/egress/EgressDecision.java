package io.liteboxd.egress;

import java.net.InetSocketAddress;

/**
 * The proxy's final word on one request (a {@code CONNECT} or one plain-HTTP request), as the
 * audit receives it. {@code allowed} means bytes were let through: the policy allowed the
 * request <em>and</em> the way to the destination opened (resolved, connected, and for a tunnel
 * its first bytes passed the SNI check). Everything else is not allowed, with a reason: the
 * policy reasons below, or a failure on the way (a name that does not resolve, an upstream that
 * does not answer).
 *
 * @param client    where the request came from (the sandbox pod's IP and port)
 * @param sandboxId the sandbox at that address; null when the address is no known sandbox
 * @param host      the host asked for, normalised (lower case, no trailing dot)
 * @param port      the port asked for
 * @param allowed   whether bytes were let through
 * @param reason    {@link #ALLOWED} or why not: one of the constants below, sometimes followed by
 *                  {@code ": "} and details
 */
public record EgressDecision(InetSocketAddress client, String sandboxId, String host, int port, boolean allowed,
        String reason) {

    public static final String ALLOWED = "allowed";
    /** The client's address is no known sandbox (or the lookup failed): everything is denied. */
    public static final String UNKNOWN_CLIENT = "unknown client";
    /** The client named an IP address; only names are allowed, the proxy resolves them itself. */
    public static final String IP_LITERAL = "ip literal";
    /** The host is no DNS name the proxy will resolve (see {@link Hosts#isName}). */
    public static final String NOT_A_NAME = "not a host name";
    public static final String HOST_NOT_ALLOWED = "host not in allowlist";
    public static final String PORT_NOT_ALLOWED = "port not allowed";
    /** The name resolved to an address the proxy never connects to (followed by which, and why). */
    public static final String BLOCKED_ADDRESS = "blocked address";
    public static final String UNRESOLVED = "host does not resolve";
    public static final String UPSTREAM_FAILED = "upstream connect failed";
    /** The TLS ClientHello named another server than the {@code CONNECT} did (domain fronting). */
    public static final String SNI_MISMATCH = "sni mismatch";
    /** A tunnel to port 443 whose first bytes were no TLS ClientHello naming its server. */
    public static final String NO_SNI = "no sni on port 443";
    /** The connection ended (or the proxy gave up waiting) before the decision was complete. */
    public static final String CLOSED_UNDECIDED = "closed before a decision";

    /** The same request, not allowed, for {@code why}. */
    public EgressDecision denied(String why) {
        return new EgressDecision(client, sandboxId, host, port, false, why);
    }
}
