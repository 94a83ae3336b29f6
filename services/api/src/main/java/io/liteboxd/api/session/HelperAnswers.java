package io.liteboxd.api.session;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** The session helper's JSON answers, as services/session-helper/README.md defines them. */
public final class HelperAnswers {

    private HelperAnswers() {}

    @Serdeable
    public record Started(String id, long pid) {}

    @Serdeable
    record Listed(@Nullable List<Session> sessions) {}

    @Serdeable
    record Session(String id, long pid, @Nullable List<String> command, boolean tty, @Nullable String startedAt,
                   boolean running, @Nullable Integer exitCode, boolean attached, long produced, long bufferStart,
                   long idleSeconds) {}

    @Serdeable
    record Read(@Nullable String data, long cursor, long next, long dropped, boolean running,
                @Nullable Integer exitCode) {}

    @Serdeable
    record Closed(boolean closed) {}
}
