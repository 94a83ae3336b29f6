package io.liteboxd.api.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionFrameDecoderTest {

    private static byte[] frame(char type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) type).putInt(payload.length).put(payload).array();
    }

    private static byte[] output(long offset, String text) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        return frame('o', ByteBuffer.allocate(8 + data.length).putLong(offset).put(data).array());
    }

    @Test
    void framesSplitAtEveryByteComeOutWhole() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(frame('h', "{\"id\":\"a\"}".getBytes(StandardCharsets.UTF_8)));
        stream.writeBytes(output(7, "line1\n"));
        stream.writeBytes(frame('x', "{\"exitCode\":3}".getBytes(StandardCharsets.UTF_8)));
        byte[] all = stream.toByteArray();
        SessionFrameDecoder decoder = new SessionFrameDecoder();
        List<SessionFrame> frames = new ArrayList<>();
        for (byte b : all) {
            frames.addAll(decoder.feed(new byte[] {b}));
        }
        assertEquals(List.of(SessionFrame.Type.HELLO, SessionFrame.Type.OUTPUT, SessionFrame.Type.EXIT),
                frames.stream().map(SessionFrame::type).toList());
        assertEquals(7, frames.get(1).outputOffset());
        assertEquals("line1\n", new String(frames.get(1).outputBytes(), StandardCharsets.UTF_8));
        assertEquals("{\"exitCode\":3}", frames.get(2).text());
        assertNull(decoder.failed());
    }

    @Test
    void severalFramesInOneChunkAndAPartialOneKept() {
        byte[] a = output(0, "a");
        byte[] b = output(1, "bc");
        byte[] chunk = new byte[a.length + b.length - 2];
        System.arraycopy(a, 0, chunk, 0, a.length);
        System.arraycopy(b, 0, chunk, a.length, b.length - 2);
        SessionFrameDecoder decoder = new SessionFrameDecoder();
        assertEquals(1, decoder.feed(chunk).size());
        List<SessionFrame> rest = decoder.feed(Arrays.copyOfRange(b, b.length - 2, b.length));
        assertEquals(1, rest.size());
        assertEquals(1, rest.getFirst().outputOffset());
    }

    @Test
    void unknownTypeStopsTheStream() {
        SessionFrameDecoder decoder = new SessionFrameDecoder();
        assertTrue(decoder.feed(frame('Z', new byte[0])).isEmpty());
        assertNotNull(decoder.failed());
        assertTrue(decoder.feed(output(0, "x")).isEmpty(), "nothing is decoded after a protocol error");
    }

    @Test
    void oversizedOrNegativeLengthIsRefusedBeforeBuffering() {
        SessionFrameDecoder decoder = new SessionFrameDecoder();
        byte[] huge = ByteBuffer.allocate(5).put((byte) 'o').putInt(SessionFrame.MAX_PAYLOAD + 1).array();
        assertTrue(decoder.feed(huge).isEmpty());
        assertTrue(decoder.failed().contains("bytes"));
        SessionFrameDecoder negative = new SessionFrameDecoder();
        negative.feed(ByteBuffer.allocate(5).put((byte) 'o').putInt(-1).array());
        assertNotNull(negative.failed());
    }

    @Test
    void outputWithoutItsOffsetIsAProtocolError() {
        SessionFrameDecoder decoder = new SessionFrameDecoder();
        decoder.feed(frame('o', new byte[3]));
        assertNotNull(decoder.failed());
    }

    @Test
    void clientFramesEncodeTypeLengthPayload() {
        byte[] input = SessionFrame.input("héllo".getBytes(StandardCharsets.UTF_8), 1, 3);
        assertEquals('i', input[0]);
        assertEquals(3, ByteBuffer.wrap(input, 1, 4).getInt());
        assertArrayEquals(Arrays.copyOfRange("héllo".getBytes(StandardCharsets.UTF_8), 1, 4),
                Arrays.copyOfRange(input, 5, 8));
        byte[] resize = SessionFrame.resize(132, 70000);
        assertEquals('r', resize[0]);
        ByteBuffer size = ByteBuffer.wrap(resize, 5, 4);
        assertEquals(132, size.getShort() & 0xFFFF);
        assertEquals(0xFFFF, size.getShort() & 0xFFFF, "clamped to 16 bits");
        assertArrayEquals(new byte[] {'d', 0, 0, 0, 0}, SessionFrame.detach());
    }
}
