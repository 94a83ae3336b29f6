package io.liteboxd.egress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client connection to the proxy over a plain socket, so a test writes exactly the bytes a
 * sandbox's client would. Reads time out (a hung proxy fails the test instead of hanging it).
 */
final class ProxyConnection implements AutoCloseable {

    /** A response as read off the wire: status, headers by lower-case name, body. */
    record Response(int status, Map<String, String> headers, String body) {

        static Response parse(String raw) {
            int split = raw.indexOf("\r\n\r\n");
            if (split < 0) {
                throw new AssertionError("no complete response head in: " + raw);
            }
            String[] lines = raw.substring(0, split).split("\r\n");
            Map<String, String> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(split + 4));
        }
    }

    private final Socket socket;
    private final InputStream in;

    private ProxyConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = socket.getInputStream();
    }

    static ProxyConnection open(int proxyPort) throws IOException {
        return open(proxyPort, InetAddress.getLoopbackAddress());
    }

    /** From a chosen local address: the proxy tells sandboxes apart by it. */
    static ProxyConnection open(int proxyPort, InetAddress from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxyPort), 10_000);
        return new ProxyConnection(socket);
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /** Everything up to the end of the connection: a whole response, which the proxy must close after. */
    Response readResponse() throws IOException {
        return Response.parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
    }

    /** A response head (up to the empty line), leaving what follows unread: a CONNECT's answer. */
    String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection ended in the head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    byte[] readExactly(int length) throws IOException {
        return in.readNBytes(length);
    }

    /** Whether the proxy ended the connection (an orderly close or a reset), with nothing more sent. */
    boolean endedByProxy() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
