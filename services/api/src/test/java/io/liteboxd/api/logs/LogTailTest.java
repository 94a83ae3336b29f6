package io.liteboxd.api.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogTailTest {

    static String read(String text, int maxBytes, int maxLineBytes) throws IOException {
        return LogTail.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxBytes, maxLineBytes);
    }

    @Test
    void shortLogsPassUnchanged() throws IOException {
        assertEquals("a\nbb\n\nccc", read("a\nbb\n\nccc", 100, 10));
        assertEquals("", read("", 100, 10));
    }

    @Test
    void longLinesKeepTheirStartAndSayHowMuchWasDropped() throws IOException {
        assertEquals("abcd…[line cut, 6 bytes dropped]\nok\n", read("abcdefghij\nok\n", 100, 4));
        assertEquals("abcd…[line cut, 2 bytes dropped]", read("abcdef", 100, 4), "also without a final newline");
    }

    @Test
    void aCutNeverSplitsACharacter() throws IOException {
        // "ab" + "✓" (3 bytes) + "c": a cut at 4 bytes would land inside ✓.
        assertEquals("ab…[line cut, 4 bytes dropped]\n", read("ab✓c\n", 100, 4));
    }

    @Test
    void theTotalIsBoundedHoweverLongTheStream() throws IOException {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }
        };
        String text = LogTail.read(endless, 1000, 100);
        assertEquals("x".repeat(100) + "…[line cut, 900 bytes dropped]…[logs cut at 1000 bytes]", text);
        assertEquals("0123\n…[logs cut at 5 bytes]", read("0123\n456789\n", 5, 100));
    }
}
