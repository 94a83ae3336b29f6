package io.liteboxd.api.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.http.HttpRequest;
import java.net.InetSocketAddress;

/** {@link ClientAddress} for a request; built at start-up, so a malformed range fails the start. */
@Context
public class ClientAddresses {

    private final IpRanges trusted;

    ClientAddresses(ClientAddressSettings settings) {
        this.trusted = IpRanges.parse(settings.trustedProxies());
    }

    String of(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        String peer = remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
        return ClientAddress.resolve(peer, request.getHeaders().getAll("X-Forwarded-For"), trusted);
    }
}
