package io.liteboxd.api.session;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.exec.BoundedBuffer;
import io.liteboxd.api.exec.ExecExit;
import io.liteboxd.api.exec.ExecSession;
import io.liteboxd.api.exec.PodExec;
import io.micronaut.http.HttpStatus;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the session helper's one-shot subcommands ({@code start}, {@code list}, {@code read},
 * {@code close}) in a sandbox's {@code main} container and reads their one-line JSON answer
 * (services/session-helper/README.md). The helper lives in the sandbox, so its answer is
 * untrusted: bounded in size, parsed into records, never echoed raw.
 */
@Singleton
public class SessionHelper {

    /** Where the launcher's init container puts the helper in every sandbox created since sessions exist. */
    public static final String BINARY = "/.liteboxd/lbx-session";
    /** The helper's exit code for "no such session". */
    static final int NO_SUCH_SESSION = 2;
    private static final int MAX_ANSWER = 2 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final PodExec exec;
    private final JsonMapper json;

    SessionHelper(PodExec exec, JsonMapper json) {
        this.exec = exec;
        this.json = json;
    }

    /**
     * Whether the pod carries the helper: its launcher init container installs it (a sandbox
     * created by an older LiteBoxd has no helper, and gets a 409 rather than a broken exec).
     */
    public static boolean installed(V1Pod pod) {
        List<V1Container> init = pod.getSpec() == null ? null : pod.getSpec().getInitContainers();
        return init != null && init.stream().anyMatch(c -> c.getCommand() != null && c.getCommand().size() > 1
                && c.getCommand().getFirst().endsWith("/lbx-session") && "install".equals(c.getCommand().get(1)));
    }

    /** Runs {@code lbx-session ARGS...} and parses its answer as {@code type}. */
    public <T> T call(PodExec.Target target, List<String> args, Class<T> type) {
        List<String> command = new ArrayList<>(List.of(BINARY));
        command.addAll(args);
        BoundedBuffer stdout = new BoundedBuffer(MAX_ANSWER);
        BoundedBuffer stderr = new BoundedBuffer(64 * 1024);
        ExecExit exit;
        try (ExecSession session = exec.startHelper(target, command, false, new ExecSession.Output() {
            @Override
            public void stdout(byte[] data) {
                stdout.append(data, 0, data.length);
            }

            @Override
            public void stderr(byte[] data) {
                stderr.append(data, 0, data.length);
            }
        })) {
            exit = session.exit().completeOnTimeout(ExecExit.timedOut("session helper timed out"),
                    TIMEOUT.toNanos(), TimeUnit.NANOSECONDS).join();
        } catch (io.kubernetes.client.openapi.ApiException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "session helper could not start: HTTP " + e.getCode());
        }
        if (exit.failed()) {
            throw new ApiException(exit.timedOut() ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY,
                    "session helper failed: " + exit.failure());
        }
        if (exit.code() == NO_SUCH_SESSION) {
            throw ApiException.notFound("session not found");
        }
        if (exit.code() != 0) {
            throw new ApiException(exit.code() == 1 ? HttpStatus.BAD_REQUEST : HttpStatus.BAD_GATEWAY,
                    "session helper: " + SessionHello.helperError(json, stderr.toByteArray()));
        }
        if (stdout.truncated()) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "session helper answered too much");
        }
        try {
            return json.readValue(stdout.toByteArray(), type);
        } catch (IOException | RuntimeException e) {
            throw new ApiException(HttpStatus.BAD_GATEWAY, "session helper answered something unreadable");
        }
    }
}
