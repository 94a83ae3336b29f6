package io.liteboxd.api.terminal;

import io.liteboxd.api.error.ApiException;
import io.liteboxd.api.exec.ExecSettings;
import io.liteboxd.api.exec.ExecSession;
import io.liteboxd.api.exec.PodExec;
import io.liteboxd.api.activity.SandboxActivity;
import io.liteboxd.api.exec.SandboxTargets;
import io.liteboxd.api.metrics.SandboxMetrics;
import io.liteboxd.api.session.SandboxSessions;
import io.liteboxd.api.session.SessionFrame;
import io.liteboxd.api.session.SessionHelper;
import io.liteboxd.api.session.SessionId;
import io.liteboxd.common.lifecycle.Drain;
import io.liteboxd.common.websocket.CloseEcho;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnClose;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;
import jakarta.inject.Named;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/v1/sandboxes/{id}/exec/interactive} (spec §4): a terminal over a WebSocket.
 * Query {@code command} (repeatable; default {@code sh}), {@code tty} (default true),
 * {@code rows}/{@code cols} (default 24/80). Differences from upstream: {@code tty=false}
 * delivers stderr too; {@code error} frames report failures before the command runs; the server
 * pings every {@link #PING_EVERY} so idle terminals survive proxies; a browser's cookie-authenticated
 * upgrade from another origin is refused (403) by {@code AuthFilter} before it gets here (upstream
 * accepted any Origin); execs are capped ({@code liteboxd.exec.max-sessions}).
 *
 * <p>LiteBoxd's sessions (docs/sessions.md): {@code session=new} starts the command as a session
 * that lives in the sandbox, {@code session=<id>} reattaches to one, {@code cursor=N} replays
 * from byte N. Only such clients get the extra {@code session} frame and output cursors; without
 * {@code session} the protocol is upstream's, byte for byte.
 */
@ServerWebSocket("/api/v1/sandboxes/{id}/exec/interactive")
@Requires(beans = SandboxTargets.class)
public class TerminalSocket {

    static final Duration PING_EVERY = Duration.ofSeconds(20);

    private final SandboxTargets targets;
    private final PodExec exec;
    private final JsonMapper json;
    private final ScheduledExecutorService pings = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("terminal-pings").factory());
    private final Map<String, ScheduledFuture<?>> pingers = new ConcurrentHashMap<>();
    private final Map<String, TerminalSession> terminals = new ConcurrentHashMap<>();
    private final Map<String, Drain.Session> admitted = new ConcurrentHashMap<>();
    private final ExecutorService blocking;
    private final Drain drain;
    private final ExecSettings settings;
    private final SandboxActivity activity;
    private final SandboxMetrics metrics;
    private final SandboxSessions sessions;

    TerminalSocket(SandboxTargets targets, PodExec exec, JsonMapper json,
                   @Named(TaskExecutors.BLOCKING) ExecutorService blocking, Drain drain, ExecSettings settings,
                   SandboxActivity activity, SandboxMetrics metrics, SandboxSessions sessions) {
        this.sessions = sessions;
        this.activity = activity;
        this.metrics = metrics;
        this.targets = targets;
        this.exec = exec;
        this.json = json;
        this.blocking = blocking;
        this.drain = drain;
        this.settings = settings;
    }

    /**
     * Resolving the pod and starting the exec may block, so that runs off the event loop. The
     * session is created by whichever of open and the first message comes first, so input is
     * queued until the command runs, never dropped (see also AuthFilter on upgrade threads).
     */
    @OnOpen
    public void open(String id, WebSocketSession socket, HttpRequest<?> request) {
        try {
            // A drain waits for a plain terminal until it ends (or the drain deadline passes). A
            // session terminal's process lives in the sandbox: at the drain's start its client is
            // told to reconnect (1012), through a replica that is not going away.
            admitted.put(socket.getId(), request.getParameters().contains("session")
                    ? drain.open("session terminal", () -> {
                        terminal(socket).closeClient(CloseReason.SERVICE_RESTART);
                        release(socket);
                    })
                    : drain.open("terminal"));
        } catch (Drain.DrainingException e) {
            terminal(socket).closeClient(CloseReason.SERVICE_RESTART);
            return;
        }
        long opened = System.nanoTime(); // the upgrade is done: what follows is attach time
        TerminalSession terminal = terminal(socket);
        blocking.execute(() -> start(id, socket, request, terminal, opened));
    }

    private void start(String id, WebSocketSession socket, HttpRequest<?> request, TerminalSession terminal,
                       long opened) {
        var query = request.getParameters();
        List<String> command = query.getAll("command");
        boolean tty = !query.contains("tty") || "true".equals(query.get("tty"));
        int rows = positiveOr(query.get("rows"), 24);
        int cols = positiveOr(query.get("cols"), 80);
        String sessionId = query.get("session");
        try {
            PodExec.Target target;
            ExecSession session;
            if (sessionId == null) {
                target = targets.running(id);
                session = exec.start(target, command.isEmpty() ? List.of("sh") : command, true, tty, terminal);
            } else {
                target = sessions.target(id);
                session = exec.start(target, attachCommand(target, sessionId, command, tty, cols, rows,
                        query.get("cursor")), true, false, terminal);
            }
            if (!session.awaitOpen()) {
                fail(terminal, "failed to start command: " + session.exit().join().failure());
                return;
            }
            if (tty && sessionId == null) {
                session.resize(cols, rows);
            } else if (sessionId != null && !"new".equals(sessionId) && query.contains("cols") && query.contains("rows")) {
                byte[] resize = SessionFrame.resize(cols, rows); // the reattaching client's own size
                session.writeStdin(resize, 0, resize.length);
            }
            pingers.put(socket.getId(), pings.scheduleAtFixedRate(() -> ping(socket),
                    PING_EVERY.toMillis(), PING_EVERY.toMillis(), TimeUnit.MILLISECONDS));
            terminal.attach(session, () -> release(socket));
            metrics.terminalAttached(Duration.ofNanos(System.nanoTime() - opened));
            if (!socket.isOpen()) {
                terminal.clientClosed(); // the client left while the command was starting
            }
        } catch (ApiException e) {
            fail(terminal, e.getMessage());
        } catch (Exception e) {
            fail(terminal, "failed to start command");
        }
    }

    @OnMessage
    public void message(String id, String message, WebSocketSession socket) {
        activity.touch(id); // a long terminal session stays in use while typed into (throttled)
        terminal(socket).received(message);
    }

    @OnClose
    public void close(String id, WebSocketSession socket, CloseReason reason) {
        release(socket);
        TerminalSession terminal = terminals.remove(socket.getId());
        if (terminal != null) {
            terminal.clientClosed();
        }
        if (terminal == null || !terminal.closedByServer()) {
            CloseEcho.echo(socket, reason); // the client closed first: answer its close frame
        }
    }

    private TerminalSession terminal(WebSocketSession socket) {
        return terminals.computeIfAbsent(socket.getId(), key -> socket.getRequestParameters().contains("session")
                ? TerminalSession.forSession(socket, json, settings.stallTimeout())
                : new TerminalSession(socket, json, settings.stallTimeout()));
    }

    /**
     * The helper's {@code attach} for {@code session=}: {@code new} first starts the command as a
     * session (with the terminal's size), any other value must name an existing one.
     */
    private List<String> attachCommand(PodExec.Target target, String sessionId, List<String> command, boolean tty,
                                       int cols, int rows, String cursor) {
        String id = "new".equals(sessionId)
                ? sessions.start(target, new SandboxSessions.StartOptions(command.isEmpty() ? List.of("sh") : command,
                        tty, cols, rows, Map.of(), null, null, null)).id()
                : SessionId.check(sessionId);
        List<String> attach = new ArrayList<>(List.of(SessionHelper.BINARY, "attach", id));
        if (cursor != null) {
            try {
                long at = Long.parseLong(cursor.trim());
                if (at < 0) {
                    throw new NumberFormatException();
                }
                attach.addAll(List.of("--cursor", Long.toString(at)));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("cursor must be a non-negative integer");
            }
        }
        return attach;
    }

    private void fail(TerminalSession terminal, String message) {
        terminal.send(TerminalFrame.error(message));
        terminal.closeClient(CloseReason.NORMAL);
    }

    /** The terminal is over (command ended or client gone): stop pinging, let a drain finish. */
    private void release(WebSocketSession socket) {
        stopPinging(socket);
        Drain.Session session = admitted.remove(socket.getId());
        if (session != null) {
            session.close();
        }
    }

    private void ping(WebSocketSession socket) {
        if (socket.isOpen()) {
            socket.sendPingAsync("lbx".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void stopPinging(WebSocketSession socket) {
        ScheduledFuture<?> pinger = pingers.remove(socket.getId());
        if (pinger != null) {
            pinger.cancel(false);
        }
    }

    private static int positiveOr(String value, int fallback) {
        try {
            int parsed = value == null ? 0 : Integer.parseInt(value.trim());
            return parsed > 0 ? parsed : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
