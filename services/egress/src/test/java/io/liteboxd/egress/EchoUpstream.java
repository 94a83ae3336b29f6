package io.liteboxd.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A TCP upstream for tunnels: echoes what it receives and records it, per connection. */
final class EchoUpstream implements AutoCloseable {

    /** One accepted connection: what arrived, and whether it has ended. */
    static final class Connection {
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private volatile boolean ended;

        synchronized byte[] received() {
            return received.toByteArray();
        }

        boolean ended() {
            return ended;
        }

        private synchronized void record(byte[] chunk, int length) {
            received.write(chunk, 0, length);
        }
    }

    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    EchoUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    List<Connection> connections() {
        return List.copyOf(connections);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Connection connection = new Connection();
                connections.add(connection);
                Thread.ofVirtual().start(() -> serve(socket, connection));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void serve(Socket socket, Connection connection) {
        try (socket; InputStream in = socket.getInputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                connection.record(buffer, n);
                socket.getOutputStream().write(buffer, 0, n);
            }
        } catch (IOException e) {
            // reset by the proxy: ended all the same
        } finally {
            connection.ended = true;
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
