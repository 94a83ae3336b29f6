package io.liteboxd.api.terminal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One message of the interactive-exec protocol (spec §4), a JSON object in a text frame:
 * {@code input} and {@code resize} from the client; {@code output}, {@code exit} and
 * {@code error} from the server. Empty and zero fields are left out, so {@code exitCode} is
 * absent for a clean exit, as upstream clients expect. A client that asked for a session
 * ({@code ?session=}) also gets a {@code session} frame first and a {@code cursor} on each output
 * frame (docs/sessions.md); nobody else ever sees those fields.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record TerminalFrame(
        String type,
        @Nullable String data,
        @Nullable Integer cols,
        @Nullable Integer rows,
        @Nullable Integer exitCode,
        @Nullable String message,
        @Nullable String session,
        @Nullable Long pid,
        @Nullable Long cursor,
        @Nullable Long dropped) {

    static TerminalFrame output(String data) {
        return new TerminalFrame("output", data, null, null, null, null, null, null, null, null);
    }

    /** Output of a session: {@code cursor} is where a reattach continues after this frame. */
    static TerminalFrame output(String data, long cursor) {
        return new TerminalFrame("output", data, null, null, null, null, null, null, cursor, null);
    }

    static TerminalFrame exit(int code) {
        return new TerminalFrame("exit", null, null, null, code == 0 ? null : code, null, null, null, null, null);
    }

    static TerminalFrame error(String message) {
        return new TerminalFrame("error", null, null, null, null, message, null, null, null, null);
    }

    /**
     * The first frame of a session terminal (sent only to clients that asked for a session):
     * its id, its process, where the replay starts and how many bytes were lost before it.
     */
    static TerminalFrame session(String id, long pid, long cursor, long dropped) {
        return new TerminalFrame("session", null, null, null, null, null, id, pid, cursor, dropped);
    }
}
