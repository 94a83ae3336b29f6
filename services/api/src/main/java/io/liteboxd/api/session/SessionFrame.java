package io.liteboxd.api.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One frame of the session helper's attach stream (services/session-helper/README.md): a type
 * byte, a 4-byte big-endian payload length, the payload. The helper runs inside the sandbox, so
 * every frame it sends is untrusted input: {@link SessionFrameDecoder} bounds its size.
 */
public record SessionFrame(Type type, byte[] payload) {

    /** Largest payload either side may send. */
    public static final int MAX_PAYLOAD = 1 << 20;
    static final int HEADER = 5;

    /** Frame types, by the byte that names them on the wire. */
    public enum Type {
        // client -> helper
        INPUT('i'), RESIZE('r'), DETACH('d'),
        // helper -> client
        HELLO('h'), OUTPUT('o'), EXIT('x'), TAKEN_OVER('t'), ERROR('e');

        private final byte code;

        Type(char code) {
            this.code = (byte) code;
        }

        byte code() {
            return code;
        }

        static Type of(byte code) {
            for (Type type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            return null;
        }
    }

    /** Keystrokes or pasted text for the session's process. */
    public static byte[] input(byte[] data, int offset, int length) {
        return encode(Type.INPUT, ByteBuffer.wrap(data, offset, length));
    }

    /** A terminal size; values beyond 16 bits are clamped (no terminal is that large). */
    public static byte[] resize(int cols, int rows) {
        ByteBuffer size = ByteBuffer.allocate(4)
                .putShort((short) Math.clamp(cols, 1, 0xFFFF)).putShort((short) Math.clamp(rows, 1, 0xFFFF)).flip();
        return encode(Type.RESIZE, size);
    }

    /** Ends this attachment; the session keeps running. */
    public static byte[] detach() {
        return encode(Type.DETACH, ByteBuffer.allocate(0));
    }

    static byte[] encode(Type type, ByteBuffer payload) {
        if (payload.remaining() > MAX_PAYLOAD) {
            throw new IllegalArgumentException("frame payload over " + MAX_PAYLOAD + " bytes");
        }
        return ByteBuffer.allocate(HEADER + payload.remaining())
                .put(type.code()).putInt(payload.remaining()).put(payload).array();
    }

    /** An {@code OUTPUT} frame's absolute offset of its first byte. */
    public long outputOffset() {
        return ByteBuffer.wrap(payload, 0, 8).getLong();
    }

    /** An {@code OUTPUT} frame's bytes. */
    public byte[] outputBytes() {
        byte[] data = new byte[payload.length - 8];
        System.arraycopy(payload, 8, data, 0, data.length);
        return data;
    }

    /** The payload as text (the JSON of {@code HELLO}, {@code EXIT} and {@code ERROR}). */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
