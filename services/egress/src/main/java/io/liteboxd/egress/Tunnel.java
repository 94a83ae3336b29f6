package io.liteboxd.egress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;

/** Turns a client connection whose {@code CONNECT} was allowed, and whose upstream connected, into a tunnel. */
final class Tunnel {

    private static final HttpResponseStatus ESTABLISHED = new HttpResponseStatus(200, "Connection Established");

    private Tunnel() {}

    /**
     * Answers {@code 200}, then takes HTTP off the client connection: its next bytes are the
     * tunnel's, checked by a {@link ClientHelloCheck} before anything reaches the upstream. The
     * upstream is not read until that check passed.
     *
     * @param ctx the context of the handler that read the {@code CONNECT}; it is removed
     */
    static void open(ChannelHandlerContext ctx, Channel upstream, EgressExchange exchange, HostPort target,
            Duration clientHelloTimeout) {
        Channel client = ctx.channel();
        // Encoded right here, by the codec still in the pipeline; only then is the codec removed.
        ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, ESTABLISHED));
        ChannelPipeline pipeline = client.pipeline();
        pipeline.addAfter(ctx.name(), "client-hello", new ClientHelloCheck(upstream, exchange, target,
                clientHelloTimeout));
        pipeline.remove(ctx.handler());
        // Clients send nothing before the 200; anything the codec still held goes to the check.
        pipeline.remove(HttpServerCodec.class);
        upstream.pipeline().addLast("relay", new Relay(client));
        client.config().setAutoRead(true);
    }
}
