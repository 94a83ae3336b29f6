package io.liteboxd.api.exec;

import io.kubernetes.client.openapi.ApiException;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command to completion and returns its exit code and separate stdout and stderr
 * (spec §3.6). The command runs under a tiny {@code sh} wrapper that reports its pid on stderr
 * first, so that on timeout the whole process tree can be killed inside the sandbox — closing
 * the exec stream alone would leave it running. Images without {@code sh} still work, without
 * that guarantee.
 */
@Singleton
@Requires(beans = SandboxTargets.class)
public class CommandRunner {

    /** The exit code of a command killed at its timeout (what coreutils' timeout uses). */
    public static final int TIMED_OUT = 124;
    private static final String WRAPPER = PidLine.REPORT + "exec \"$@\"";
    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    private final PodExec exec;
    private final ExecSettings settings;

    CommandRunner(PodExec exec, ExecSettings settings) {
        this.exec = exec;
        this.settings = settings;
    }

    /** What a finished command produced. */
    public record Result(int exitCode, String stdout, String stderr) {}

    public Result run(PodExec.Target target, List<String> command, Duration timeout) throws InterruptedException {
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", WRAPPER, "liteboxd-exec"));
        wrapped.addAll(command);
        Result result = attempt(target, wrapped, true, timeout);
        if (result == null) {
            // No sh in the image: run the command as it is.
            result = attempt(target, command, false, timeout);
        }
        return result;
    }

    /** Null when the wrapper's shell does not exist in the image. */
    private Result attempt(PodExec.Target target, List<String> command, boolean wrapped, Duration timeout)
            throws InterruptedException {
        Capture capture = new Capture(settings.maxOutputBytes(), wrapped);
        ExecSession session;
        try {
            session = exec.start(target, command, false, false, capture);
        } catch (ApiException e) {
            return new Result(1, "", "failed to start command: HTTP " + e.getCode());
        }
        try (session) {
            ExecExit exit;
            try {
                exit = session.exit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                kill(target, capture.pid());
                session.exit().completeOnTimeout(ExecExit.failed("timed out"), 5, TimeUnit.SECONDS).join();
                return capture.result(TIMED_OUT, "command timed out after " + timeout.toSeconds() + "s");
            } catch (ExecutionException e) {
                exit = ExecExit.failed(String.valueOf(e.getCause()));
            }
            if (wrapped && exit.failed() && capture.pid() == null && exit.failure().contains("\"sh\"")) {
                return null;
            }
            return exit.failed() ? capture.result(1, exit.failure()) : capture.result(exit.code(), null);
        }
    }

    /** Kills the command's process tree inside the sandbox (best effort; logged when it fails). */
    private void kill(PodExec.Target target, String pid) {
        if (!exec.killTree(target, pid)) {
            LOG.warn("exec in {}/{} timed out and could not be killed (pid {}); it may still be running",
                    target.namespace(), target.pod(), pid);
        }
    }

    /** Collects stdout and stderr; with the wrapper, the first stderr line is the pid, not output. */
    private static final class Capture implements ExecSession.Output {
        private final BoundedBuffer stdout;
        private final BoundedBuffer stderr;
        private final PidLine pidLine;

        Capture(int limit, boolean wrapped) {
            this.stdout = new BoundedBuffer(limit);
            this.stderr = new BoundedBuffer(limit);
            this.pidLine = wrapped ? new PidLine() : null;
        }

        @Override
        public void stdout(byte[] data) {
            stdout.append(data, 0, data.length);
        }

        @Override
        public void stderr(byte[] data) {
            byte[] rest = pidLine == null ? data : pidLine.strip(data);
            stderr.append(rest, 0, rest.length);
        }

        String pid() {
            return pidLine == null ? null : pidLine.pid();
        }

        Result result(int exitCode, String note) {
            String err = new String(stderr.toByteArray(), StandardCharsets.UTF_8);
            if (stdout.truncated() || stderr.truncated()) {
                err += "\n[output truncated]";
            }
            if (note != null) {
                err += "\n" + note;
            }
            return new Result(exitCode, new String(stdout.toByteArray(), StandardCharsets.UTF_8), err);
        }
    }
}
