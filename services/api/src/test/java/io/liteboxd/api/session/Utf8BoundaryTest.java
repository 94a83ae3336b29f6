package io.liteboxd.api.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8BoundaryTest {

    @Test
    void keepsWholeCharactersOnly() {
        byte[] text = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
        assertEquals(10, Utf8Boundary.completeLength(text, 10));
        assertEquals(6, Utf8Boundary.completeLength(text, 9), "3 of the emoji's 4 bytes are held back");
        assertEquals(6, Utf8Boundary.completeLength(text, 7), "the emoji's lead byte alone is held back");
        assertEquals(3, Utf8Boundary.completeLength(text, 5), "2 of the euro sign's 3 bytes");
        assertEquals(1, Utf8Boundary.completeLength(text, 2), "é cut after its lead byte");
        assertEquals(0, Utf8Boundary.completeLength(text, 0));
    }

    @Test
    void invalidBytesCountAsComplete() {
        byte[] junk = {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
        assertEquals(5, Utf8Boundary.completeLength(junk, 5), "no lead byte within reach: nothing to wait for");
        assertEquals(2, Utf8Boundary.completeLength(new byte[] {'a', (byte) 0xC0}, 2), "0xC0 never starts a sequence");
    }
}
