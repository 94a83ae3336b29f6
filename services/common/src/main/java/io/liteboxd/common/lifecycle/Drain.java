package io.liteboxd.common.lifecycle;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Drain, don't kick": once a drain begins, no new work is accepted, but work already admitted
 * (HTTP requests, and long-lived sessions such as WebSocket terminals and tunnels) may finish
 * until the drain timeout. {@link #begin()} tells when it is safe to exit.
 *
 * <p>Admission counts first and checks the drain flag second, and {@link #begin()} sets the
 * flag first and checks the counts second. So whichever comes first, a unit of work is either
 * refused or seen by the drain: never admitted behind the drain's back.</p>
 */
@Singleton
public class Drain {

    private static final Logger LOG = LoggerFactory.getLogger(Drain.class);

    /** Thrown by {@link #open(String)} while draining; the caller refuses the session. */
    public static final class DrainingException extends IllegalStateException {
        DrainingException(String kind) {
            super("service is draining; refusing a new " + kind + " session");
        }
    }

    /**
     * One admitted unit of work. Closing it releases it; closing it again does nothing, so it
     * can be closed from every path that may end the work (completion, error, disconnect).
     */
    public final class Session implements AutoCloseable {
        private final String kind;
        private final AtomicInteger counter;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final Runnable handOff;

        private Session(String kind, AtomicInteger counter, Runnable handOff) {
            this.kind = kind;
            this.counter = counter;
            this.handOff = handOff;
        }

        public String kind() {
            return kind;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                openSessions.remove(this);
                counter.decrementAndGet();
                finishIfIdle();
            }
        }
    }

    private final Readiness readiness;
    private final Duration timeout;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger sessions = new AtomicInteger();
    /** Sessions only (not requests): what the timeout log names. */
    private final Set<Session> openSessions = ConcurrentHashMap.newKeySet();
    private final AtomicReference<CompletableFuture<Void>> drained = new AtomicReference<>();
    private volatile boolean draining;

    public Drain(Readiness readiness, DrainSettings settings) {
        this.readiness = readiness;
        this.timeout = settings.timeout();
    }

    /**
     * Registers a long-lived session (a WebSocket terminal, a tunnel) that a drain waits for.
     * Close it when the session ends.
     *
     * @param kind what the session is, for logs ("terminal", "tunnel")
     * @throws DrainingException while draining: refuse the session (e.g. close the WebSocket
     *                           with 1012 "service restart") so the client reconnects elsewhere
     */
    public Session open(String kind) {
        return open(kind, null);
    }

    /**
     * Like {@link #open(String)} for a session that another replica can take over (a terminal
     * whose process lives in the sandbox, docs/sessions.md): when the drain begins, {@code handOff}
     * runs at once (it tells the client to reconnect elsewhere, and closes the session) instead of
     * the drain waiting for the client to leave.
     */
    public Session open(String kind, @Nullable Runnable handOff) {
        Session session = new Session(kind, sessions, handOff);
        openSessions.add(session);
        sessions.incrementAndGet();
        if (draining) {
            session.close();
            throw new DrainingException(kind);
        }
        return session;
    }

    /** Admits an HTTP request, or returns null while draining (the caller answers 503). */
    @Nullable
    Session admitRequest() {
        Session request = new Session("http", requests, null);
        requests.incrementAndGet();
        if (draining) {
            request.close();
            return null;
        }
        return request;
    }

    /**
     * Starts the drain (irreversibly: readiness turns "draining" at once) and returns a future
     * that completes when no admitted request or session is left, or when the drain timeout has
     * passed, whichever comes first. Calling it again returns the same future.
     */
    public CompletableFuture<Void> begin() {
        draining = true;
        readiness.beginDrain();
        CompletableFuture<Void> fresh = new CompletableFuture<>();
        CompletableFuture<Void> existing = drained.compareAndExchange(null, fresh);
        if (existing != null) {
            return existing;
        }
        int inFlightRequests = requests.get();
        int inFlightSessions = sessions.get();
        LOG.atInfo().addKeyValue("requests", inFlightRequests).addKeyValue("sessions", inFlightSessions)
                .addKeyValue("timeout_ms", timeout.toMillis())
                .log("drain started: {} requests and {} sessions in flight, waiting at most {}",
                        inFlightRequests, inFlightSessions, timeout);
        handOffSessions();
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (fresh.complete(null)) {
                int leftRequests = requests.get();
                int leftSessions = sessions.get();
                Map<String, Integer> kinds = openSessionKinds();
                LOG.atWarn().addKeyValue("requests", leftRequests).addKeyValue("sessions", leftSessions)
                        .addKeyValue("session_kinds", kinds)
                        .log("drain timed out after {}: {} requests and {} sessions {} still open",
                                timeout, leftRequests, leftSessions, kinds);
            }
        });
        finishIfIdle();
        return fresh;
    }

    /** Runs the hand-off of every session that has one; a failing hand-off leaves its session to the drain. */
    private void handOffSessions() {
        int handedOff = 0;
        for (Session session : List.copyOf(openSessions)) {
            if (session.handOff != null && session.open.get()) {
                try {
                    session.handOff.run();
                    handedOff++;
                } catch (RuntimeException e) {
                    LOG.warn("drain: handing off a {} failed: {}", session.kind, e.toString());
                }
            }
        }
        if (handedOff > 0) {
            LOG.info("drain: handed {} session(s) over to other replicas", handedOff);
        }
    }

    public boolean isDraining() {
        return draining;
    }

    public int activeRequests() {
        return requests.get();
    }

    public int activeSessions() {
        return sessions.get();
    }

    public Duration timeout() {
        return timeout;
    }

    private void finishIfIdle() {
        CompletableFuture<Void> future = drained.get();
        if (future != null && requests.get() == 0 && sessions.get() == 0) {
            future.complete(null);
        }
    }

    /** Open sessions by kind, e.g. {terminal=2, tunnel=1}, for the timeout log line. */
    private Map<String, Integer> openSessionKinds() {
        Map<String, Integer> kinds = new TreeMap<>();
        for (Session session : openSessions) {
            kinds.merge(session.kind, 1, Integer::sum);
        }
        return kinds;
    }
}
