package io.liteboxd.egress;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * First in an upstream channel's pipeline, next to the socket: counts the bytes written to and
 * read from the destination, whatever the handlers behind it make of them.
 */
final class ByteCounter extends ChannelDuplexHandler {

    private final EgressExchange exchange;

    ByteCounter(EgressExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            exchange.countDown(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            exchange.countUp(bytes.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
