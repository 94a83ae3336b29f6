package io.liteboxd.api.session;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.liteboxd.api.ApiApplication;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.error.FlatError;
import io.liteboxd.api.exec.PodExec;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/sandboxes/{id}/sessions}: LiteBoxd's sessions (not in upstream): start a
 * command in the background, list a sandbox's sessions, read their output from a cursor, close
 * them. A terminal joins one with {@code …/exec/interactive?session=} (docs/sessions.md).
 */
@Controller("/api/v1/sandboxes/{id}/sessions")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(beans = SandboxSessions.class)
@Tag(name = "sandboxes")
@SecurityRequirement(name = ApiApplication.SESSION)
@SecurityRequirement(name = ApiApplication.API_KEY)
@FlatError.Defaults
public class SessionController {

    static final int DEFAULT_READ = 64 * 1024;
    static final int MAX_READ = 1 << 20;
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    @Serdeable
    record StartRequest(@Nullable List<String> command, @Nullable Boolean tty, @Nullable Integer cols,
                        @Nullable Integer rows, @Nullable Map<String, String> env, @Nullable String cwd,
                        @Nullable @JsonProperty("buffer_bytes") Long bufferBytes,
                        @Nullable @JsonProperty("idle_timeout_seconds") Long idleTimeoutSeconds) {}

    @Serdeable
    record Started(String id, long pid) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SessionView(String id, long pid, List<String> command, boolean tty,
                       @Nullable @JsonProperty("started_at") String startedAt, boolean running,
                       @Nullable @JsonProperty("exit_code") Integer exitCode, boolean attached,
                       @JsonProperty("produced") long produced, @JsonProperty("buffer_start") long bufferStart,
                       @JsonProperty("idle_seconds") long idleSeconds) {

        static SessionView of(HelperAnswers.Session s) {
            return new SessionView(s.id(), s.pid(), s.command() == null ? List.of() : s.command(), s.tty(),
                    s.startedAt(), s.running(), s.exitCode(), s.attached(), s.produced(), s.bufferStart(),
                    s.idleSeconds());
        }
    }

    @Serdeable
    record SessionList(List<SessionView> items) {}

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Output(String data, long cursor, long next, long dropped, boolean running,
                  @Nullable @JsonProperty("exit_code") Integer exitCode) {}

    private final SandboxSessions sessions;

    SessionController(SandboxSessions sessions) {
        this.sessions = sessions;
    }

    @Post
    @Status(HttpStatus.CREATED)
    @Operation(operationId = "startSession", summary = "Start a command as a session that outlives this request "
            + "and the API pod: its output is kept in the sandbox (bounded) and read with GET …/output")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.NotRunning
    Started start(@PathVariable String id, @Body StartRequest request) {
        if (request.command() == null || request.command().isEmpty() || request.command().getFirst().isEmpty()) {
            throw ApiException.badRequest("command is required");
        }
        Map<String, String> env = request.env() == null ? Map.of() : request.env();
        env.forEach((name, value) -> {
            if (!ENV_NAME.matcher(name).matches() || value == null) {
                throw ApiException.badRequest("invalid env entry " + (ENV_NAME.matcher(name).matches() ? name : ""));
            }
        });
        int cols = request.cols() == null || request.cols() <= 0 ? 80 : request.cols();
        int rows = request.rows() == null || request.rows() <= 0 ? 24 : request.rows();
        PodExec.Target target = sessions.target(id);
        var started = sessions.start(target, new SandboxSessions.StartOptions(request.command(),
                Boolean.TRUE.equals(request.tty()), cols, rows, env, request.cwd(), request.bufferBytes(),
                request.idleTimeoutSeconds()));
        return new Started(started.id(), started.pid());
    }

    @Get
    @Operation(operationId = "listSessions", summary = "The sandbox's sessions, running and recently ended")
    @FlatError.NotFound
    @FlatError.NotRunning
    SessionList list(@PathVariable String id) {
        return new SessionList(sessions.list(id).stream().map(SessionView::of).toList());
    }

    @Get("/{sessionId}/output")
    @Operation(operationId = "readSessionOutput", summary = "Output from `cursor` (default: the oldest byte still "
            + "kept); `dropped` counts bytes that fell out of the buffer before `cursor`; continue from `next`")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.NotRunning
    Output output(@PathVariable String id, @PathVariable String sessionId, @Nullable @QueryValue Long cursor,
                  @Nullable @QueryValue Integer max) {
        if (cursor != null && cursor < 0) {
            throw ApiException.badRequest("cursor must be >= 0");
        }
        int limit = max == null || max <= 0 ? DEFAULT_READ : Math.min(max, MAX_READ);
        HelperAnswers.Read read = sessions.read(id, sessionId, cursor, limit);
        byte[] data = read.data() == null ? new byte[0] : decode(read.data());
        // Only whole UTF-8 characters: a sequence cut at the end is left for the next read.
        int whole = Utf8Boundary.completeLength(data, data.length);
        long next = read.cursor() + whole;
        return new Output(new String(data, 0, whole, StandardCharsets.UTF_8), read.cursor(),
                whole == data.length ? read.next() : next, read.dropped(), read.running(), read.exitCode());
    }

    @Delete("/{sessionId}")
    @Status(HttpStatus.NO_CONTENT)
    @Operation(operationId = "closeSession", summary = "Signal the session's process group (HUP for a terminal, "
            + "TERM otherwise, KILL after 3 s) and end the session")
    @FlatError.BadRequest
    @FlatError.NotFound
    @FlatError.NotRunning
    void close(@PathVariable String id, @PathVariable String sessionId) {
        sessions.close(id, sessionId);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "session helper answered something unreadable");
        }
    }
}
