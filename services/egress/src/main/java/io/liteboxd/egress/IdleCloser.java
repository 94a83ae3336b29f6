package io.liteboxd.egress;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client connection that moved no bytes either way for the idle timeout. On the client
 * side only: everything a tunnel or a forwarded request moves crosses it (reads are bytes up,
 * writes bytes down), and closing the client closes its upstream.
 */
final class IdleCloser extends IdleStateHandler {

    IdleCloser(Duration idle) {
        super(0, 0, idle.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        ctx.close();
    }
}
