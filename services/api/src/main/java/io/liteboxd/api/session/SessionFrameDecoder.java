package io.liteboxd.api.session;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the helper's stdout, which arrives in chunks of any size, into {@link SessionFrame}s. A
 * frame with an unknown type, a payload over {@link SessionFrame#MAX_PAYLOAD} or an {@code OUTPUT}
 * frame too short for its offset is a protocol error: the stream is not trusted any further
 * ({@link #failed()}), and what it holds is never more than one frame's worth.
 */
public final class SessionFrameDecoder {

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private String failure;

    /** The complete frames {@code chunk} finishes, in order; none once the stream has failed. */
    public List<SessionFrame> feed(byte[] chunk) {
        List<SessionFrame> frames = new ArrayList<>();
        if (failure != null) {
            return frames;
        }
        pending.writeBytes(chunk);
        byte[] buffered = pending.toByteArray();
        int at = 0;
        while (buffered.length - at >= SessionFrame.HEADER) {
            SessionFrame.Type type = SessionFrame.Type.of(buffered[at]);
            int length = ByteBuffer.wrap(buffered, at + 1, 4).getInt();
            if (type == null) {
                return fail(frames, "unknown frame type " + (buffered[at] & 0xFF));
            }
            if (length < 0 || length > SessionFrame.MAX_PAYLOAD) {
                return fail(frames, "frame payload of " + Integer.toUnsignedString(length) + " bytes");
            }
            if (type == SessionFrame.Type.OUTPUT && length < 8) {
                return fail(frames, "output frame without its offset");
            }
            if (buffered.length - at - SessionFrame.HEADER < length) {
                break;
            }
            byte[] payload = new byte[length];
            System.arraycopy(buffered, at + SessionFrame.HEADER, payload, 0, length);
            frames.add(new SessionFrame(type, payload));
            at += SessionFrame.HEADER + length;
        }
        pending.reset();
        pending.write(buffered, at, buffered.length - at);
        return frames;
    }

    /** Why the stream stopped being decoded, or null while it is fine. */
    public String failed() {
        return failure;
    }

    private List<SessionFrame> fail(List<SessionFrame> frames, String why) {
        failure = why;
        pending.reset();
        return frames;
    }
}
