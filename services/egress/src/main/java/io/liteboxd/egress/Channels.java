package io.liteboxd.egress;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

final class Channels {

    private Channels() {}

    /**
     * Closes {@code channel} once what was already written to it has gone out: a plain close
     * would drop the tail of a response still waiting in its outbound buffer.
     */
    static void closeOnFlush(Channel channel) {
        if (channel.isActive()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close(); // still connecting, or closed already
        }
    }
}
