package io.liteboxd.egress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * Holds a new tunnel's first client bytes until they are known: a TLS ClientHello, whose SNI must
 * name the host the {@code CONNECT} named (a mismatch is domain fronting: a permitted name on the
 * outside, another server inside), or anything else. Netty's own ClientHello parser reads them
 * ({@link AbstractSniHandler}: records split over several reads, a ClientHello over several
 * records, and a size limit); nothing here parses TLS.
 *
 * <p>Passed: the relay takes its place and receives the bytes held so far (the ClientHello,
 * unchanged), and the upstream starts being read. Refused: the audit hears why and both
 * connections close; the held bytes never reach the upstream. No bytes within the
 * ClientHello timeout: the connection closes.</p>
 */
final class ClientHelloCheck extends AbstractSniHandler<String> {

    private static final int TLS_ONLY_PORT = 443;

    private final Channel upstream;
    private final EgressExchange exchange;
    private final HostPort target;

    ClientHelloCheck(Channel upstream, EgressExchange exchange, HostPort target, Duration timeout) {
        super(timeout.toMillis());
        this.upstream = upstream;
        this.exchange = exchange;
        this.target = target;
    }

    /**
     * Why the tunnel must not carry this, or empty when it may. {@code sni} is null when the
     * first bytes were no ClientHello, or one without a server name: refused on 443, where only
     * TLS is expected and a name is always sent; let through elsewhere, where plain protocols
     * (HTTP over a tunnel to port 80) are ordinary.
     */
    static Optional<String> refusal(HostPort target, String sni) {
        if (sni == null) {
            return target.port() == TLS_ONLY_PORT ? Optional.of(EgressDecision.NO_SNI) : Optional.empty();
        }
        if (!Hosts.normalise(sni).equals(target.host())) {
            return Optional.of(EgressDecision.SNI_MISMATCH + ": " + sni);
        }
        return Optional.empty();
    }

    @Override
    protected Future<String> lookup(ChannelHandlerContext ctx, String hostname) {
        return ctx.executor().newSucceededFuture(hostname); // nothing to look up: decided at once
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, String sni, Future<String> ignored) {
        EgressDecision pending = exchange.pending();
        if (pending == null || !ctx.channel().isActive()) {
            return; // closed meanwhile (also: called again with the leftovers as the channel closes)
        }
        Optional<String> refusal = refusal(target, sni);
        if (refusal.isPresent()) {
            exchange.settle(pending.denied(refusal.get()));
            upstream.close();
            ctx.close();
            return;
        }
        exchange.settle(pending);
        ctx.pipeline().addAfter(ctx.name(), "relay", new Relay(upstream));
        ctx.pipeline().remove(this); // hands the bytes it held to the relay
        upstream.config().setAutoRead(true);
    }
}
