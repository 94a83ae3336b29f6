package io.liteboxd.api.terminal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a byte stream that arrives in arbitrary chunks as UTF-8 text, carrying an incomplete
 * multi-byte sequence over to the next chunk instead of mangling it (upstream decoded each chunk
 * on its own). Bytes that are not UTF-8 at all become U+FFFD, as a JSON string must be text.
 */
final class Utf8Chunks {

    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** At most 3 bytes of a sequence still waiting for its end. */
    private byte[] pending = new byte[0];

    String decode(byte[] chunk) {
        ByteBuffer in = ByteBuffer.allocate(pending.length + chunk.length).put(pending).put(chunk).flip();
        CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
        decoder.decode(in, out, false);
        pending = new byte[in.remaining()];
        in.get(pending);
        return out.flip().toString();
    }

    /** Bytes of an incomplete sequence held back for the next chunk (0 to 3). */
    int pending() {
        return pending.length;
    }

    /** The end of the stream: whatever is still pending was never completed. */
    String finish() {
        ByteBuffer in = ByteBuffer.wrap(pending);
        CharBuffer out = CharBuffer.allocate(pending.length + 1);
        decoder.decode(in, out, true);
        decoder.flush(out);
        pending = new byte[0];
        return out.flip().toString();
    }
}
