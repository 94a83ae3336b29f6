package io.liteboxd.api.session;

import io.kubernetes.client.openapi.models.V1Pod;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.exec.PodExec;
import io.liteboxd.api.exec.SandboxTargets;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sandbox's sessions: processes the session helper runs inside the sandbox, with a replay
 * buffer, that outlive the connection (and the API pod) that started them (docs/sessions.md).
 */
@Singleton
@Requires(beans = SandboxTargets.class)
public class SandboxSessions {

    /** What a new session runs and how. */
    public record StartOptions(List<String> command, boolean tty, int cols, int rows, Map<String, String> env,
                               String cwd, Long bufferBytes, Long idleTimeoutSeconds) {}

    private final SandboxTargets targets;
    private final SessionHelper helper;

    SandboxSessions(SandboxTargets targets, SessionHelper helper) {
        this.targets = targets;
        this.helper = helper;
    }

    /** The running sandbox's {@code main} container, if its pod carries the helper (409 otherwise). */
    public PodExec.Target target(String sandboxId) {
        V1Pod pod = targets.runningPod(sandboxId);
        if (!SessionHelper.installed(pod)) {
            throw new ApiException(HttpStatus.CONFLICT,
                    "sandbox has no session support (it was created before sessions existed)");
        }
        return SandboxTargets.target(pod);
    }

    public HelperAnswers.Started start(PodExec.Target target, StartOptions options) {
        List<String> args = new ArrayList<>(List.of("start"));
        if (options.tty()) {
            args.addAll(List.of("--tty", "--cols", Integer.toString(options.cols()),
                    "--rows", Integer.toString(options.rows())));
        }
        if (options.cwd() != null) {
            args.addAll(List.of("--cwd", options.cwd()));
        }
        if (options.bufferBytes() != null) {
            args.addAll(List.of("--buffer", Long.toString(options.bufferBytes())));
        }
        if (options.idleTimeoutSeconds() != null) {
            args.addAll(List.of("--idle-timeout", Long.toString(options.idleTimeoutSeconds())));
        }
        new TreeMap<>(options.env()).forEach((name, value) -> args.addAll(List.of("--env", name + "=" + value)));
        args.add("--");
        args.addAll(options.command());
        return helper.call(target, args, HelperAnswers.Started.class);
    }

    public List<HelperAnswers.Session> list(String sandboxId) {
        HelperAnswers.Listed listed = helper.call(target(sandboxId), List.of("list"), HelperAnswers.Listed.class);
        return listed.sessions() == null ? List.of() : listed.sessions();
    }

    public HelperAnswers.Read read(String sandboxId, String sessionId, Long cursor, int max) {
        List<String> args = new ArrayList<>(List.of("read", SessionId.check(sessionId), "--max", Integer.toString(max)));
        if (cursor != null) {
            args.addAll(List.of("--cursor", Long.toString(cursor)));
        }
        return helper.call(target(sandboxId), args, HelperAnswers.Read.class);
    }

    public void close(String sandboxId, String sessionId) {
        helper.call(target(sandboxId), List.of("close", SessionId.check(sessionId)), HelperAnswers.Closed.class);
    }
}
