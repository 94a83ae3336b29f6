package io.liteboxd.gateway.framing;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.configuration.NettyHttpServerConfiguration;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/**
 * Installs an HTTP/1 server codec whose request headers mark ambiguous framing (see
 * {@link FramingMarkingHeaders}); same limits as the codec Micronaut builds itself.
 */
@Singleton
public class StrictFraming implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private final Provider<NettyHttpServerConfiguration> configuration;

    StrictFraming(Provider<NettyHttpServerConfiguration> configuration) {
        this.configuration = configuration;
    }

    /** True if the request came with both Content-Length and Transfer-Encoding. */
    public static boolean isAmbiguous(HttpRequest<?> request) {
        return request.getHeaders().contains(FramingMarkingHeaders.MARKER);
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new Customizer(null));
        return event.getBean();
    }

    private final class Customizer implements NettyServerCustomizer {
        private final Channel channel;

        Customizer(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return new Customizer(channel);
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel == null
                    || !(channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) instanceof HttpServerCodec)) {
                return;
            }
            NettyHttpServerConfiguration server = configuration.get();
            HttpDecoderConfig decoder = new HttpDecoderConfig()
                    .setMaxInitialLineLength(server.getMaxInitialLineLength())
                    .setMaxHeaderSize(server.getMaxHeaderSize())
                    .setMaxChunkSize(server.getMaxChunkSize())
                    .setInitialBufferSize(server.getInitialBufferSize())
                    .setValidateHeaders(server.isValidateHeaders())
                    .setHeadersFactory(FramingMarkingHeaders.factory(server.isValidateHeaders()));
            channel.pipeline().replace(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                    ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, new HttpServerCodec(decoder));
        }
    }
}
