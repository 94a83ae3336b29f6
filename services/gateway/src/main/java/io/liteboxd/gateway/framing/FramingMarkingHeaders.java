package io.liteboxd.gateway.framing;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * Request headers that remember an ambiguous framing. When a request carries both
 * Content-Length and Transfer-Encoding, Netty's decoder drops the Content-Length (RFC 9112
 * §6.3) and goes on; that is the classic request-smuggling shape, which the gateway refuses
 * instead of forwarding. The decoder's removal is the only trace, so it leaves a marker header.
 */
final class FramingMarkingHeaders extends DefaultHttpHeaders {

    /** Set by the decoder path above; a client sending it only gets its own request refused. */
    static final String MARKER = "X-Liteboxd-Ambiguous-Framing";

    private FramingMarkingHeaders(DefaultHttpHeadersFactory validation) {
        super(validation.getNameValidator(), validation.getValueValidator());
    }

    @Override
    public HttpHeaders remove(CharSequence name) {
        if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)
                && contains(HttpHeaderNames.TRANSFER_ENCODING) && contains(HttpHeaderNames.CONTENT_LENGTH)) {
            super.remove(name);
            set(MARKER, "true");
            return this;
        }
        return super.remove(name);
    }

    static HttpHeadersFactory factory(boolean validate) {
        DefaultHttpHeadersFactory validation = DefaultHttpHeadersFactory.headersFactory().withValidation(validate);
        return new HttpHeadersFactory() {
            @Override
            public HttpHeaders newHeaders() {
                return new FramingMarkingHeaders(validation);
            }

            @Override
            public HttpHeaders newEmptyHeaders() {
                return new FramingMarkingHeaders(validation);
            }
        };
    }
}
