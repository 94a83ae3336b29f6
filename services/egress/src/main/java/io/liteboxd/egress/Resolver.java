package io.liteboxd.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns an allowed name into the addresses the proxy connects to. The proxy resolves names
 * itself and connects to what it resolved, after checking those addresses: it never connects to
 * an address the client chose. Called off the network threads; may block.
 */
@FunctionalInterface
public interface Resolver {

    /**
     * @param host a normalised DNS name, never an IP literal
     * @return its addresses, the preferred one first; never empty
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
