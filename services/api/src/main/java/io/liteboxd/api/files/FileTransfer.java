package io.liteboxd.api.files;

import io.liteboxd.api.auth.Secrets;
import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.exec.ExecExit;
import io.liteboxd.api.exec.ExecSession;
import io.liteboxd.api.exec.PidLine;
import io.liteboxd.api.exec.PodExec;
import io.liteboxd.api.exec.SandboxTargets;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import org.slf4j.LoggerFactory;

/**
 * Moves bytes between HTTP bodies and files in a sandbox through exec'd {@code sh} one-liners,
 * streaming both ways (upstream buffered uploads whole and wrapped them in tar). An upload goes to
 * a temporary name next to the target and is renamed only once every byte arrived, so a broken
 * or oversize upload never leaves a half-written file under the real name. Every wait on the pod
 * has a deadline from {@link FileSettings} (and the exec's own, {@code liteboxd.exec.*}); a
 * deadline passed before the answer started is 504 {@code timed out waiting for the sandbox}, and
 * the command is killed in the sandbox.
 */
@Singleton
@Requires(beans = SandboxTargets.class)
public class FileTransfer {

    private static final Logger LOG = LoggerFactory.getLogger(FileTransfer.class);
    private static final int BUFFER = 64 * 1024;
    /** $1 target, $2 temporary name: refuse directories, create missing parents, write. */
    private static final String RECEIVE = PidLine.REPORT + """
            [ -d "$1" ] && { echo "path is a directory" >&2; exit 21; }
            d=${1%/*}
            if [ -n "$d" ]; then mkdir -p -- "$d" || exit 22; fi
            cat > "$2"
            """;
    private static final String COMMIT = "mv -f -- \"$2\" \"$1\"";
    private static final String DISCARD = "rm -f -- \"$1\"";
    /** $1 the file: 44 missing, 45 a directory, 46 unreadable, else its bytes. */
    private static final String SEND = PidLine.REPORT + """
            [ -e "$1" ] || exit 44
            [ -d "$1" ] && exit 45
            [ -r "$1" ] || exit 46
            exec cat -- "$1"
            """;

    private final PodExec exec;
    private final SandboxTargets targets;
    private final FileSettings settings;

    FileTransfer(PodExec exec, SandboxTargets targets, FileSettings settings) {
        this.exec = exec;
        this.targets = targets;
        this.settings = settings;
    }

    /** Writes {@code body} to {@code path} in the sandbox; returns the number of bytes written. */
    public long upload(String sandboxId, String path, InputStream body) throws IOException, InterruptedException {
        PodExec.Target target = targets.running(sandboxId);
        String temporary = path + ".lbx-upload-" + Secrets.randomHex(4);
        StderrOnly output = new StderrOnly();
        ExecSession session = start(target, List.of("sh", "-c", RECEIVE, "liteboxd-upload", path, temporary), true,
                output);
        long written = 0;
        boolean committed = false;
        try (session) {
            if (!session.awaitOpen()) {
                throw failure(session.exit().join(), output); // complete once awaitOpen says false
            }
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = body.read(buffer)) >= 0; ) {
                written += n;
                if (written > settings.maxUploadBytes()) {
                    throw new ApiException(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                            "file exceeds the upload limit of " + settings.maxUploadBytes() + " bytes");
                }
                try {
                    session.writeStdin(buffer, 0, n);
                } catch (IOException e) {
                    // The command ended early (a directory, no permission): report why.
                    throw failure(session.exit().completeOnTimeout(ExecExit.failed(e.getMessage()), 5,
                            TimeUnit.SECONDS).join(), output);
                }
            }
            session.closeStdin();
            // cat still writes what was queued; a pod that never finishes must not hold us forever.
            ExecExit exit = session.exit().completeOnTimeout(ExecExit.timedOut("the upload did not finish within "
                    + settings.idleTimeout().toSeconds() + "s of its last byte"),
                    settings.idleTimeout().toNanos(), TimeUnit.NANOSECONDS).join();
            if (exit.failed() || exit.code() != 0) {
                throw failure(exit, output);
            }
            committed = run(target, List.of("sh", "-c", COMMIT, "liteboxd-commit", path, temporary)) == 0;
            if (!committed) {
                throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "failed to upload file: rename failed");
            }
            return written;
        } finally {
            if (!committed) {
                ExecExit end = session.exit().getNow(null);
                if (end == null || end.timedOut()) {
                    // The client went away, sent too much, or a deadline passed: closing the
                    // stream would leave cat waiting for more input (or writing) forever.
                    exec.killTree(target, output.pid());
                }
                discard(target, temporary);
            }
        }
    }

    /** A running download: its bytes and the file name for Content-Disposition. */
    public record Download(Flux<byte[]> bytes, String fileName) {}

    /** Starts streaming {@code path}; answers 404/400/403 before the first byte if it cannot. */
    public Download download(String sandboxId, String path) throws InterruptedException {
        PodExec.Target target = targets.running(sandboxId);
        var stall = new java.util.concurrent.atomic.AtomicReference<Runnable>(() -> { });
        OutputPipe pipe = new OutputPipe(settings.idleTimeout(), () -> stall.get().run());
        ExecSession session = start(target, List.of("sh", "-c", SEND, "liteboxd-download", path), false, pipe);
        // A client that takes nothing for idle-timeout: drop the exec and stop cat in the sandbox.
        stall.set(() -> Thread.ofVirtual().start(() -> {
            session.close();
            exec.killTree(target, pipe.pid());
        }));
        session.exit().thenAccept(pipe::finish);
        boolean data;
        try {
            data = pipe.awaitData(settings.firstByteTimeout());
        } catch (java.util.concurrent.TimeoutException e) {
            pipe.close();
            session.close();
            Thread.ofVirtual().start(() -> exec.killTree(target, pipe.pid()));
            throw timedOut();
        }
        if (!data) {
            // Ended without output (it had, or the pipe gave up and closed the session).
            ExecExit exit = session.exit().completeOnTimeout(ExecExit.timedOut("no exit status"),
                    settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS).join();
            if (exit.failed() || exit.code() != 0) {
                session.close();
                if (exit.timedOut()) {
                    throw timedOut();
                }
                throw switch (exit.code()) {
                    case 44 -> ApiException.notFound("file not found");
                    case 45 -> ApiException.badRequest("path is a directory");
                    case 46 -> new ApiException(HttpStatus.FORBIDDEN, "permission denied");
                    default -> new ApiException(HttpStatus.INTERNAL_SERVER_ERROR,
                            "failed to download file: " + (exit.failed() ? exit.failure() : pipe.stderr()));
                };
            }
        }
        // Pulled chunk by chunk as the client reads (generate runs on demand only); when the
        // client goes away the subscription is cancelled and the exec dropped, which ends the
        // command in the sandbox instead of leaving it blocked on a pipe nobody reads.
        Flux<byte[]> bytes = Flux.<byte[]>generate(sink -> {
                    try {
                        byte[] chunk = pipe.nextChunk();
                        if (chunk == null) {
                            sink.complete();
                        } else {
                            sink.next(chunk);
                        }
                    } catch (IOException e) {
                        sink.error(e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        sink.error(e);
                    }
                })
                .subscribeOn(Schedulers.boundedElastic())
                .doFinally(signal -> {
                    pipe.close();
                    if (!session.exit().isDone()) {
                        // Abandoned half-way: cat would wait forever on a pipe nobody reads.
                        Thread.ofVirtual().start(() -> exec.killTree(target, pipe.pid()));
                    }
                    session.close();
                });
        return new Download(bytes, SandboxPaths.fileName(path));
    }

    private ExecSession start(PodExec.Target target, List<String> command, boolean stdin, ExecSession.Output output) {
        try {
            return exec.start(target, command, stdin, false, output);
        } catch (io.kubernetes.client.openapi.ApiException e) {
            throw new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "failed to reach the sandbox: HTTP " + e.getCode());
        }
    }

    /** Runs a short helper command and returns its exit code (-1 if it could not run or timed out). */
    private int run(PodExec.Target target, List<String> command) {
        try (ExecSession session = exec.startHelper(target, command, false, new StderrOnly())) {
            return session.exit().completeOnTimeout(ExecExit.timedOut("timed out"),
                    settings.commandTimeout().toNanos(), TimeUnit.NANOSECONDS).join().code();
        } catch (io.kubernetes.client.openapi.ApiException e) {
            return ExecExit.UNKNOWN;
        }
    }

    private static ApiException timedOut() {
        return new ApiException(HttpStatus.GATEWAY_TIMEOUT, "timed out waiting for the sandbox");
    }

    private void discard(PodExec.Target target, String temporary) {
        try {
            run(target, List.of("sh", "-c", DISCARD, "liteboxd-discard", temporary));
        } catch (RuntimeException e) {
            LOG.warn("could not remove {} in {}/{}", temporary, target.namespace(), target.pod(), e);
        }
    }

    private static ApiException failure(ExecExit exit, StderrOnly output) {
        if (exit.timedOut()) {
            return timedOut();
        }
        String stderr = output.text();
        return switch (exit.code()) {
            case 21 -> ApiException.badRequest("path is a directory");
            case 22 -> ApiException.badRequest("cannot create the parent directory: " + stderr);
            case ExecExit.UNKNOWN -> new ApiException(HttpStatus.INTERNAL_SERVER_ERROR,
                    "failed to upload file: " + exit.failure());
            default -> ApiException.badRequest("failed to upload file: " + stderr);
        };
    }

    /** Keeps the pid and the start of stderr for error messages; there is no stdout to keep. */
    private static final class StderrOnly implements ExecSession.Output {
        private final StringBuilder text = new StringBuilder();
        private final PidLine pidLine = new PidLine();

        @Override
        public void stdout(byte[] data) {}

        @Override
        public synchronized void stderr(byte[] data) {
            byte[] rest = pidLine.strip(data);
            if (text.length() < 2048) {
                text.append(new String(rest, StandardCharsets.UTF_8));
            }
        }

        String pid() {
            return pidLine.pid();
        }

        synchronized String text() {
            return text.toString().strip();
        }
    }
}
