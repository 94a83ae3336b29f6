package io.liteboxd.api.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a container log stream into a string of bounded size, however the log looks: a line may be
 * gigabytes without a newline, so nothing is read "by line". How it cuts:
 * <ul>
 * <li>Each line keeps its first {@code maxLineBytes} bytes, backed off to the start of a UTF-8
 * character so none is split; the rest of the line is read past (not kept) and replaced by
 * {@code …[line cut, N bytes dropped]}.
 * <li>At most {@code maxBytes} bytes are read from the stream at all; if it has more, reading stops
 * there and the text ends with {@code …[logs cut at N bytes]}.
 * </ul>
 * So memory is at most about {@code maxBytes} plus one line buffer, whatever the pod wrote.
 */
final class LogTail {

    private LogTail() {}

    static String read(InputStream in, int maxBytes, int maxLineBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // One byte more than is kept: whether the first dropped byte continues a character.
        byte[] line = new byte[maxLineBytes + 1];
        int lineLength = 0;
        long dropped = 0;
        long total = 0;
        byte[] buffer = new byte[8192];
        boolean more = false;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            if (total + n > maxBytes) {
                n = (int) (maxBytes - total);
                more = true;
            }
            total += n;
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    endLine(out, line, lineLength, dropped, maxLineBytes);
                    out.write('\n');
                    lineLength = 0;
                    dropped = 0;
                } else if (lineLength < line.length) {
                    line[lineLength++] = b;
                } else {
                    dropped++;
                }
            }
            if (more) {
                break;
            }
        }
        if (lineLength > 0) {
            endLine(out, line, lineLength, dropped, maxLineBytes);
        }
        if (more) {
            out.writeBytes(("…[logs cut at " + maxBytes + " bytes]").getBytes(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void endLine(ByteArrayOutputStream out, byte[] line, int length, long dropped, int maxLineBytes) {
        if (length <= maxLineBytes) {
            out.write(line, 0, length);
            return;
        }
        int keep = maxLineBytes;
        while (keep > 0 && (line[keep] & 0xC0) == 0x80) {
            keep--; // line[keep] continues a character: cut before that character starts
        }
        out.write(line, 0, keep);
        long cut = dropped + length - keep;
        out.writeBytes(("…[line cut, " + cut + " bytes dropped]").getBytes(StandardCharsets.UTF_8));
    }
}
