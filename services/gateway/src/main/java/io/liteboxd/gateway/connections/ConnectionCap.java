package io.liteboxd.gateway.connections;

import io.liteboxd.gateway.metrics.GatewayMetrics;
import io.liteboxd.gateway.sandbox.GatewaySettings;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code liteboxd.gateway.max-connections}: Micronaut's Netty server has no connection limit of
 * its own, and every connection costs buffers and a file descriptor. A connection beyond the cap
 * is closed as soon as it is accepted, before anything is read from it (a client sees a reset
 * or EOF and may retry; a load balancer sends it elsewhere).
 */
@Singleton
public class ConnectionCap implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private final int max;
    private final GatewayMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionCap(GatewaySettings settings, GatewayMetrics metrics) {
        this.max = settings.maxConnections();
        this.metrics = metrics;
        metrics.connections(open::get);
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Counting());
        return event.getBean();
    }

    private final class Counting implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            if (role != ChannelRole.CONNECTION) {
                return this;
            }
            int now = open.incrementAndGet();
            channel.closeFuture().addListener(f -> open.decrementAndGet());
            if (now > max) {
                metrics.connectionRefused();
                channel.config().setAutoRead(false);
                channel.close();
            }
            return this;
        }
    }
}
