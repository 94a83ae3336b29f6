package io.liteboxd.gateway.connections;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.liteboxd.common.testing.Await;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connections beyond liteboxd.gateway.max-connections are closed before a byte is read. */
@MicronautTest
@Property(name = "liteboxd.gateway.max-connections", value = "2")
class ConnectionCapTest {

    @Inject
    EmbeddedServer server;

    @Test
    void theConnectionOverTheCapIsClosedAndItsPlaceFreedWhenOneCloses() throws Exception {
        try (Socket first = open(); Socket second = open()) {
            assertEquals("HTTP/1.1 200", health(first));
            assertEquals("HTTP/1.1 200", health(second));
            try (Socket third = open()) {
                assertTrue(refused(third), "the third connection is closed");
            }
            first.close();
            Await.until(Duration.ofSeconds(10), "a closed connection frees its place", () -> {
                try (Socket again = open()) {
                    return "HTTP/1.1 200".equals(health(again));
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals("HTTP/1.1 200", health(second), "the others were never touched");
        }
    }

    private Socket open() throws IOException {
        Socket socket = new Socket("localhost", server.getPort());
        socket.setSoTimeout(5000);
        return socket;
    }

    private static String health(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        // Read the rest of this small response so the next request on the socket starts clean.
        byte[] buffer = new byte[4096];
        String rest = new String(buffer, 0, Math.max(0, in.read(buffer)), StandardCharsets.US_ASCII);
        if (!rest.contains("}")) {
            in.read(buffer);
        }
        return status;
    }

    private static boolean refused(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return socket.getInputStream().read() == -1;
        } catch (SocketException e) {
            return true; // reset
        }
    }
}
