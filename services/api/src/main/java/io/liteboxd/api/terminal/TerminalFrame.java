package io.liteboxd.api.terminal;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One message of the interactive-exec protocol (spec §4), a JSON object in a text frame:
 * {@code input} and {@code resize} from the client; {@code output}, {@code exit} and
 * {@code error} from the server. Empty and zero fields are left out, so {@code exitCode} is
 * absent for a clean exit, as upstream clients expect.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
record TerminalFrame(
        String type,
        @Nullable String data,
        @Nullable Integer cols,
        @Nullable Integer rows,
        @Nullable Integer exitCode,
        @Nullable String message) {

    static TerminalFrame output(String data) {
        return new TerminalFrame("output", data, null, null, null, null);
    }

    static TerminalFrame exit(int code) {
        return new TerminalFrame("exit", null, null, null, code == 0 ? null : code, null);
    }

    static TerminalFrame error(String message) {
        return new TerminalFrame("error", null, null, null, null, message);
    }
}
