package io.liteboxd.egress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One plain-HTTP request ({@code GET http://host/path}) carried to its destination and its
 * response streamed back; then both connections close. One request per client connection in
 * this slice: no keep-alive towards the client and no upstream connection pool (clients simply
 * open a new connection per request, as they must once told {@code Connection: close}).
 *
 * <p>This is the upstream channel's handler (behind an {@link HttpClientCodec}); the client side
 * hands it the request body through {@link #requestBody}. Bodies stream both ways with
 * backpressure: a side stops being read while the other cannot keep up.</p>
 */
final class PlainHttpForward extends ChannelInboundHandlerAdapter {

    private final Channel client;
    private final HttpRequest request;
    private final AbsoluteUri uri;
    /** Body parts read before the upstream connected (little: the client is not read meanwhile). */
    private final ArrayDeque<HttpContent> early = new ArrayDeque<>();
    private Channel upstream;
    private boolean requestComplete;
    private boolean abandoned;
    private boolean responseStarted;
    private boolean interim;

    PlainHttpForward(Channel client, HttpRequest request, AbsoluteUri uri) {
        this.client = client;
        this.request = request;
        this.uri = uri;
    }

    /** The upstream connected: send the request head and what body there is, then stream. */
    void start(Channel connected) {
        upstream = connected;
        upstream.write(OriginRequest.of(request, uri));
        while (!early.isEmpty()) {
            upstream.write(early.poll());
        }
        upstream.flush();
        upstream.config().setAutoRead(true);
        client.config().setAutoRead(!requestComplete && upstream.isWritable());
    }

    /** A part of the client's request body. */
    void requestBody(HttpContent part) {
        if (abandoned || requestComplete) {
            part.release(); // refused, or a pipelined second request's: never sent up
            return;
        }
        boolean last = part instanceof LastHttpContent;
        if (upstream == null) {
            early.add(part);
        } else {
            upstream.writeAndFlush(part, upstream.voidPromise());
            if (last || !upstream.isWritable()) {
                client.config().setAutoRead(false);
            }
        }
        if (last) {
            requestComplete = true; // and the client is not read again: one request per connection
        }
    }

    /** The request goes no further (refused, or the client left): whatever body was held is freed. */
    void abandon() {
        abandoned = true;
        early.forEach(ReferenceCountUtil::release);
        early.clear();
    }

    /** The client's outbound buffer filled or drained: read the response only while it can take it. */
    void clientWritabilityChanged() {
        if (upstream != null) {
            upstream.config().setAutoRead(client.isWritable());
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpResponse response) {
            responseStarted = true;
            // 1xx (100 Continue) comes before the real response, which is the one that ends the exchange.
            interim = response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!interim) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
        }
        boolean end = msg instanceof LastHttpContent && !interim;
        if (end) {
            client.writeAndFlush(msg).addListener(ChannelFutureListener.CLOSE);
        } else {
            client.writeAndFlush(msg, client.voidPromise());
            if (!client.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        client.config().setAutoRead(!requestComplete && ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!responseStarted && client.isActive()) {
            ErrorResponses.send(client, HttpResponseStatus.BAD_GATEWAY,
                    "egress to " + uri.target() + " failed: the upstream closed without a response");
        } else {
            Channels.closeOnFlush(client);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
