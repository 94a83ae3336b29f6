package io.liteboxd.egress;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The proxy's own answers ({@code {"error":"..."}}, then the connection closes): the body
 * is what a sandbox user sees when pip or curl is refused, so it says what was refused.
 */
final class ErrorResponses {

    private ErrorResponses() {}

    /** Through the client's HTTP codec, which must still be in its pipeline. */
    static void send(Channel client, HttpResponseStatus status, String message) {
        ByteBuf body = Unpooled.copiedBuffer("{\"error\":" + quote(message) + "}", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    /** {@code egress to <host>:<port> is not allowed for this sandbox}: for every 403. */
    static String notAllowed(HostPort target) {
        return "egress to " + target + " is not allowed for this sandbox";
    }

    /** A JSON string literal: the message can hold whatever host the client sent. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
