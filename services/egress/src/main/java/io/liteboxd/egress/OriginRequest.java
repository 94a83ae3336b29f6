package io.liteboxd.egress;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;

/** The request head a plain-HTTP upstream receives for a client's proxy request. */
final class OriginRequest {

    /**
     * Meant for the proxy or for this one connection, never for the destination. The names a
     * client lists in its Connection header are not removed: honouring them could drop
     * Content-Length or Transfer-Encoding and send the upstream a body framed otherwise than the
     * proxy read it.
     */
    private static final List<CharSequence> HOP_BY_HOP = List.of(HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE, HttpHeaderNames.PROXY_AUTHORIZATION, HttpHeaderNames.PROXY_AUTHENTICATE,
            "proxy-connection", HttpHeaderNames.TE, HttpHeaderNames.UPGRADE);

    private OriginRequest() {}

    /**
     * The same method, version, headers and body framing, in origin form ({@code /path?q}),
     * without the hop-by-hop headers, with {@code Connection: close} (one request per upstream
     * connection), and with the Host header of the URL: the client's own Host header could pick
     * another site behind the same address than the one the allowlist let through.
     */
    static HttpRequest of(HttpRequest request, AbsoluteUri uri) {
        HttpHeaders headers = request.headers().copy();
        HOP_BY_HOP.forEach(headers::remove);
        headers.set(HttpHeaderNames.HOST, uri.target().hostHeader());
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return new DefaultHttpRequest(request.protocolVersion(), request.method(), uri.originForm(), headers);
    }
}
