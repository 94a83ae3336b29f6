package io.liteboxd.api.exec;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Starts commands in sandbox containers through the {@code pods/exec} subresource, using the
 * official client's connection settings (TLS, credentials, token refresh) for the WebSocket.
 * Every exec a client asks for (the exec route, a terminal, a file transfer) counts against
 * {@code liteboxd.exec.max-sessions} until it ends; the short helper commands LiteBoxd runs inside
 * an admitted one (kill, rename, remove) do not, so cleaning up can never be refused.
 */
@Singleton
public class PodExec {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** Where a command runs and which streams it gets. */
    public record Target(String namespace, String pod, String container) {}

    /**
     * Kills a process and all its descendants, given its pid: stops each before listing its
     * children so nothing forks away, then kills bottom-up. Plain POSIX sh and /proc only, so it
     * works in any image that has a shell.
     */
    static final String KILL_TREE = """
            t() {
              local p="$1" f l r c
              kill -STOP "$p" 2>/dev/null
              for f in /proc/[0-9]*/stat; do
                read -r l < "$f" 2>/dev/null || continue
                r=${l##*) }
                set -- $r
                if [ "$2" = "$p" ]; then c=${f#/proc/}; t "${c%/stat}"; fi
              done
              kill -KILL "$p" 2>/dev/null
            }
            t "$1"
            """;

    private final ApiClient client;
    private final OkHttpClient http;
    private final JsonMapper json;
    private final ExecSettings settings;
    private final Semaphore sessions;

    PodExec(ApiClient client, JsonMapper json, ExecSettings settings) {
        this.client = client;
        this.json = json;
        this.settings = settings;
        this.sessions = new Semaphore(settings.maxSessions());
        // The client's own OkHttp settings, minus the read timeout (a quiet command is not a dead
        // one) and with pings so idle terminals survive proxies between us and the API server.
        this.http = client.getHttpClient().newBuilder()
                .readTimeout(Duration.ZERO)
                .pingInterval(Duration.ofSeconds(20))
                .build();
    }

    /**
     * Kills a command's whole process tree inside the sandbox, given the pid it reported
     * ({@link PidLine}). Best effort: returns false (and the caller logs) when it could not.
     */
    public boolean killTree(Target target, @Nullable String pid) {
        if (pid == null || !pid.matches("\\d+")) {
            return false;
        }
        ExecSession.Output ignore = new ExecSession.Output() {
            @Override
            public void stdout(byte[] data) {}

            @Override
            public void stderr(byte[] data) {}
        };
        try (ExecSession killer = startHelper(target, List.of("sh", "-c", KILL_TREE, "liteboxd-kill", pid), false,
                ignore)) {
            ExecExit exit = killer.exit().completeOnTimeout(ExecExit.timedOut("kill timed out"),
                    settings.killTimeout().toNanos(), TimeUnit.NANOSECONDS).join();
            return !exit.failed() && exit.code() == 0;
        } catch (ApiException e) {
            return false;
        }
    }

    /**
     * Starts {@code command}; output flows to {@code output} until the returned session's exit.
     * 503 ({@code too many exec sessions, retry later}) when {@code max-sessions} are open.
     */
    public ExecSession start(Target target, List<String> command, boolean stdin, boolean tty,
                             ExecSession.Output output) throws ApiException {
        if (!sessions.tryAcquire()) {
            throw new io.liteboxd.api.error.ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                    "too many exec sessions, retry later", RETRY_AFTER);
        }
        try {
            ExecSession session = open(target, command, stdin, tty, output);
            session.exit().whenComplete((exit, error) -> sessions.release());
            return session;
        } catch (ApiException | RuntimeException e) {
            sessions.release();
            throw e;
        }
    }

    /** A short command LiteBoxd runs for itself inside an admitted session; not counted. */
    public ExecSession startHelper(Target target, List<String> command, boolean stdin, ExecSession.Output output)
            throws ApiException {
        return open(target, command, stdin, false, output);
    }

    /** Execs open now (for tests and metrics). */
    int openSessions() {
        return settings.maxSessions() - sessions.availablePermits();
    }

    private ExecSession open(Target target, List<String> command, boolean stdin, boolean tty,
                             ExecSession.Output output) throws ApiException {
        List<Pair> query = new ArrayList<>();
        for (String arg : command) {
            query.add(new Pair("command", arg));
        }
        query.add(new Pair("container", target.container()));
        query.add(new Pair("stdin", Boolean.toString(stdin)));
        query.add(new Pair("stdout", "true"));
        // With a TTY the terminal merges stderr into stdout; asking for both is an error.
        query.add(new Pair("stderr", Boolean.toString(!tty)));
        query.add(new Pair("tty", Boolean.toString(tty)));
        String path = "/api/v1/namespaces/" + client.escapeString(target.namespace()) + "/pods/"
                + client.escapeString(target.pod()) + "/exec";
        Request request = client.buildRequest(client.getBasePath(), path, "GET", query, List.of(), null,
                new java.util.HashMap<>(Map.of("Sec-WebSocket-Protocol", ExecSession.PROTOCOL)),
                new java.util.HashMap<>(), new java.util.HashMap<>(), new String[] {"BearerToken"}, null);
        ExecSession session = new ExecSession(output, json, settings.startTimeout(), settings.stallTimeout());
        session.connecting(http.newWebSocket(request, session.listener()));
        return session;
    }
}
