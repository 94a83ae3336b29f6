package io.liteboxd.egress;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads the one proxy request of a client connection, has the {@link EgressGate} decide it (off
 * the event loop: it resolves), and then refuses it, or connects upstream and hands over to a
 * {@link Tunnel} ({@code CONNECT}) or a {@link PlainHttpForward} (absolute-form HTTP).
 * Origin-form requests are no proxy requests: {@code 400}.
 */
final class ProxyRequestHandler extends ChannelInboundHandlerAdapter {

    private final EgressGate gate;
    private final Executor decisions;
    private final EgressAudit audit;
    private final EgressProxySettings settings;
    private EgressExchange exchange;
    private boolean requestSeen;
    private HostPort target;
    /** Set for a plain-HTTP request (it takes the request body); null for CONNECT. */
    private PlainHttpForward forward;

    ProxyRequestHandler(EgressGate gate, Executor decisions, EgressAudit audit, EgressProxySettings settings) {
        this.gate = gate;
        this.decisions = decisions;
        this.audit = audit;
        this.settings = settings;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        exchange = new EgressExchange(ctx.channel(), audit);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest head) {
            onRequest(ctx, head);
            if (head instanceof HttpContent full) {
                full.release(); // the codec's stand-in for a request it could not decode
            }
        } else if (msg instanceof HttpContent part && forward != null) {
            forward.requestBody(part);
        } else {
            // A CONNECT's empty body, the rest of a refused request, a pipelined second request.
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest head) {
        if (requestSeen) {
            return; // one request per connection: this one closes after the first response
        }
        requestSeen = true;
        ctx.channel().config().setAutoRead(false); // nothing more until decided
        if (head.decoderResult().isFailure()) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, "malformed or oversized request");
            return;
        }
        try {
            if (HttpMethod.CONNECT.equals(head.method())) {
                target = HostPort.parse(head.uri(), -1);
            } else {
                AbsoluteUri uri = AbsoluteUri.parse(head.uri());
                target = uri.target();
                forward = new PlainHttpForward(ctx.channel(), head, uri);
            }
        } catch (IllegalArgumentException e) {
            refuse(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
        HostPort asked = target;
        try {
            decisions.execute(() -> {
                try {
                    EgressGate.Verdict verdict = gate.decide(client, asked);
                    ctx.channel().eventLoop().execute(() -> onVerdict(ctx, verdict));
                } catch (RuntimeException e) {
                    // The gate catches what its policy and resolver throw; this is a bug, so no egress.
                    ctx.channel().eventLoop().execute(() -> refuse(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                            "the egress proxy failed to decide"));
                }
            });
        } catch (RejectedExecutionException e) {
            ctx.close(); // shutting down
        }
    }

    private void onVerdict(ChannelHandlerContext ctx, EgressGate.Verdict verdict) {
        EgressDecision decision = verdict.decision();
        if (!decision.allowed()) {
            exchange.settle(decision);
            String message = verdict.status() == 403 ? ErrorResponses.notAllowed(target)
                    : "egress to " + target + " failed: " + decision.reason();
            refuse(ctx, HttpResponseStatus.valueOf(verdict.status()), message);
            return;
        }
        if (!ctx.channel().isActive()) {
            exchange.settle(decision.denied(EgressDecision.CLOSED_UNDECIDED));
            return;
        }
        exchange.pending(decision);
        connect(ctx, new InetSocketAddress(verdict.address(), target.port()));
    }

    private void connect(ChannelHandlerContext ctx, InetSocketAddress address) {
        PlainHttpForward plain = forward;
        Bootstrap bootstrap = new Bootstrap()
                .group(ctx.channel().eventLoop()) // the client's loop: the exchange needs no locks
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.AUTO_READ, false) // read once the client can be written to
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel upstream) {
                        upstream.pipeline().addLast("count", new ByteCounter(exchange));
                        if (plain != null) {
                            upstream.pipeline().addLast("http", new HttpClientCodec()).addLast("forward", plain);
                        }
                    }
                });
        ChannelFuture connecting = bootstrap.connect(address);
        exchange.attachUpstream(connecting.channel());
        connecting.addListener((ChannelFuture done) -> {
            if (!ctx.channel().isActive()) {
                return; // the client left; the exchange closed the upstream and audited it
            }
            EgressDecision pending = exchange.pending();
            if (!done.isSuccess()) {
                exchange.settle(pending.denied(EgressDecision.UPSTREAM_FAILED + ": " + done.cause().getMessage()));
                refuse(ctx, HttpResponseStatus.BAD_GATEWAY, "egress to " + target + " failed: upstream unreachable");
                return;
            }
            if (plain == null) {
                // Final once the tunnel's first bytes passed the SNI check (ClientHelloCheck).
                Tunnel.open(ctx, done.channel(), exchange, target, settings.clientHelloTimeout());
            } else {
                exchange.settle(pending);
                plain.start(done.channel());
            }
        });
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        if (forward != null) {
            forward.abandon();
        }
        ErrorResponses.send(ctx.channel(), status, message);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (forward != null) {
            forward.clientWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (forward != null) {
            forward.abandon();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
