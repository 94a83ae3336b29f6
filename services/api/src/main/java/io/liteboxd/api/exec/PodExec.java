package io.liteboxd.api.exec;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Starts commands in sandbox containers through the {@code pods/exec} subresource, using the
 * official client's connection settings (TLS, credentials, token refresh) for the WebSocket.
 */
@Singleton
public class PodExec {

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

    PodExec(ApiClient client, JsonMapper json) {
        this.client = client;
        this.json = json;
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
        try (ExecSession killer = start(target, List.of("sh", "-c", KILL_TREE, "liteboxd-kill", pid), false, false,
                ignore)) {
            ExecExit exit = killer.exit().completeOnTimeout(ExecExit.failed("kill timed out"), 10,
                    java.util.concurrent.TimeUnit.SECONDS).join();
            return !exit.failed() && exit.code() == 0;
        } catch (ApiException e) {
            return false;
        }
    }

    /** Starts {@code command}; output flows to {@code output} until the returned session's exit. */
    public ExecSession start(Target target, List<String> command, boolean stdin, boolean tty,
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
        ExecSession session = new ExecSession(output, json);
        http.newWebSocket(request, session.listener());
        return session;
    }
}
