package io.liteboxd.api.session;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The helper's {@code HELLO} frame of an attach: the session, its process, where the replay
 * starts and how many bytes fell out of the buffer before it. Also reads the small JSON payloads of
 * {@code EXIT} and {@code ERROR} frames. Untrusted input: a bad payload gives null or a neutral value.
 */
@Serdeable
public record SessionHello(String id, long pid, boolean tty, long cursor, long dropped, boolean running) {

    @Serdeable
    record Exit(@Nullable Integer exitCode) {}

    @Serdeable
    record Error(@Nullable String message) {}

    /** Null when the payload is not a hello with a valid session id. */
    public static SessionHello parse(JsonMapper json, String payload) {
        try {
            SessionHello hello = json.readValue(payload, SessionHello.class);
            return hello != null && hello.id() != null && hello.id().matches("[A-Za-z0-9_-]{1,64}")
                    && hello.cursor() >= 0 && hello.dropped() >= 0 ? hello : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The exit code of an {@code EXIT} frame; 1 when unreadable. */
    public static int exitCode(JsonMapper json, String payload) {
        try {
            Exit exit = json.readValue(payload, Exit.class);
            return exit == null || exit.exitCode() == null ? 1 : exit.exitCode();
        } catch (IOException | RuntimeException e) {
            return 1;
        }
    }

    @Serdeable
    record CliError(@Nullable String error) {}

    /**
     * The {@code {"error": ...}} the helper's command line prints on stderr, printable and short;
     * stderr that is not that JSON (no helper in the pod: the runtime's own complaint) as text.
     */
    public static String helperError(JsonMapper json, byte[] stderr) {
        String message;
        try {
            CliError error = json.readValue(stderr, CliError.class);
            message = error == null || error.error() == null ? "" : error.error();
        } catch (IOException | RuntimeException e) {
            message = new String(stderr, StandardCharsets.UTF_8);
        }
        return printable(message);
    }

    /** The message of an {@code ERROR} frame, printable and short. */
    public static String message(JsonMapper json, String payload) {
        String message;
        try {
            Error error = json.readValue(payload, Error.class);
            message = error == null || error.message() == null ? "" : error.message();
        } catch (IOException | RuntimeException e) {
            message = "";
        }
        return printable(message);
    }

    private static String printable(String message) {
        String clean = message.replaceAll("\\p{Cntrl}", " ").strip();
        return clean.isEmpty() ? "failed" : clean.substring(0, Math.min(200, clean.length()));
    }
}
