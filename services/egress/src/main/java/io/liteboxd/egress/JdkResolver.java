package io.liteboxd.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The JDK's resolver (the system's: in a pod, the cluster DNS and its search path). It caches
 * answers for {@code networkaddress.cache.ttl} seconds (30 by default).
 */
public final class JdkResolver implements Resolver {

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        return List.of(InetAddress.getAllByName(host));
    }
}
