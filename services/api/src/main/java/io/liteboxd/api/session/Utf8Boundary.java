package io.liteboxd.api.session;

/** Where a byte stream cut at an arbitrary point ends its last complete UTF-8 character. */
final class Utf8Boundary {

    private Utf8Boundary() {}

    /**
     * The length of {@code data[0, length)} without a trailing multi-byte sequence that is still
     * incomplete. Invalid bytes count as complete (they decode to U+FFFD either way).
     */
    static int completeLength(byte[] data, int length) {
        // A UTF-8 sequence is at most 4 bytes: look back at most 3 for its lead byte.
        for (int back = 1; back <= Math.min(3, length); back++) {
            int b = data[length - back] & 0xFF;
            if ((b & 0xC0) == 0x80) {
                continue; // a continuation byte: the lead is further back
            }
            int needed = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 1;
            return needed > back ? length - back : length;
        }
        return length;
    }
}
