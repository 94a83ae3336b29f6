package io.liteboxd.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** One HTTP/1.1 exchange over a plain socket, for requests the JDK client will not send as written. */
public final class RawHttp {

    /** Status line, header block and body of one response. */
    public record Response(String head, String body) {
        public int status() {
            return Integer.parseInt(head.substring(9, 12));
        }
    }

    private RawHttp() {}

    public static Response exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(15000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            String headText = head.toString(StandardCharsets.US_ASCII);
            int length = 0;
            for (String line : headText.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring("content-length:".length()).trim());
                }
            }
            return new Response(headText, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }
}
