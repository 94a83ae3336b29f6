package io.liteboxd.egress;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain-HTTP upstream (the JDK's server): answers {@code hello} to a GET and echoes a POST's
 * body, and records every request as it arrived.
 */
final class HttpUpstream implements AutoCloseable {

    /** The length of {@code GET /big}. */
    static final long BIG_BODY = 32L << 20;

    record Seen(String method, String uri, Headers headers, String body) {}

    private final HttpServer server;
    private final List<Seen> requests = new CopyOnWriteArrayList<>();

    HttpUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<Seen> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                exchange.getRequestHeaders(), body));
        if (exchange.getRequestURI().getPath().equals("/big")) {
            // BIG_BODY bytes, written faster than a slow client reads: the proxy's flow control at work.
            exchange.sendResponseHeaders(200, BIG_BODY);
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = exchange.getResponseBody()) {
                for (long left = BIG_BODY; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(left, chunk.length));
                }
            }
            return;
        }
        byte[] answer = ("POST".equals(exchange.getRequestMethod()) ? body : "hello").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
