package io.liteboxd.egress;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The egress proxy: an HTTP proxy that sandboxes reach through {@code HTTP_PROXY} and
 * {@code HTTPS_PROXY}, letting a request out only to what the sandbox's policy allows
 * ({@code CONNECT host:port} tunnels, checked again by their TLS SNI, and absolute-form plain
 * HTTP). Every decision goes to the {@link EgressAudit}.
 *
 * <p>Decisions run on virtual threads (they resolve names, which blocks); bytes move on Netty's
 * NIO event loops.</p>
 */
public final class EgressProxyServer implements AutoCloseable {

    /** Request line and headers: generous for real clients, small enough to bound each connection. */
    private static final int MAX_INITIAL_LINE = 8 * 1024;
    private static final int MAX_HEADERS = 16 * 1024;

    private final EgressGate gate;
    private final EgressAudit audit;
    private final EgressProxySettings settings;
    private final EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
    private final ExecutorService decisions = Executors.newVirtualThreadPerTaskExecutor();
    private Channel listener;

    public EgressProxyServer(EgressPolicy policy, Resolver resolver, EgressAudit audit, EgressProxySettings settings) {
        this.gate = new EgressGate(policy, resolver, new AddressGuard(settings.blockedCidrs(), settings.blockLoopback()));
        this.audit = audit;
        this.settings = settings;
    }

    public EgressProxyServer(EgressPolicy policy, EgressAudit audit) {
        this(policy, new JdkResolver(), audit, EgressProxySettings.defaults());
    }

    /** Listens on {@code port} on every interface (0: any free port); returns the bound port. */
    public int start(int port) {
        return start(new InetSocketAddress(port));
    }

    /** Listens on {@code address}; returns the bound port. */
    public synchronized int start(InetSocketAddress address) {
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        HttpDecoderConfig limits = new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                .setMaxHeaderSize(MAX_HEADERS);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel client) {
                        client.pipeline()
                                .addLast("idle", new IdleCloser(settings.idleTimeout()))
                                .addLast("http", new HttpServerCodec(limits))
                                .addLast("proxy", new ProxyRequestHandler(gate, decisions, audit, settings));
                    }
                });
        listener = bootstrap.bind(address).syncUninterruptibly().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Stops accepting new connections; those already open go on until they end or {@link #close()}
     * (a drain: the service stops taking work and lets open tunnels finish within its budget).
     */
    public synchronized void stopAccepting() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
    }

    /**
     * Stops accepting, then stops the event loops: connections still open are closed once the
     * loops have been quiet briefly (at the latest after a few seconds). A drain calls
     * {@link #stopAccepting()} first and this only once open connections ended or its time is up.
     */
    @Override
    public synchronized void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        acceptor.terminationFuture().syncUninterruptibly();
        decisions.shutdown(); // a lookup still running finishes on its own; its answer goes nowhere
    }
}
