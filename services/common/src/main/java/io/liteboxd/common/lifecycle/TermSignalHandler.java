package io.liteboxd.common.lifecycle;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Takes SIGTERM away from the JVM's default handler. That one runs the shutdown hooks at once,
 * and Micronaut's hook closes the listener before the endpoints controller has seen
 * {@code /readyz} fail, so requests still routed to this pod would be refused. Instead: drain
 * (readyz 503, new requests 503, in-flight work finishes), then {@code System.exit(0)}, whose
 * shutdown hooks stop Micronaut as usual. SIGINT keeps the default: Ctrl-C stops at once.
 */
@Context
@Requires(property = "liteboxd.drain.signal-handler", notEquals = "false")
// Never inside a test JVM (surefire, @MicronautTest): its SIGTERM must keep stopping it.
@Requires(notEnv = Environment.TEST)
class TermSignalHandler {

    private static final Logger LOG = LoggerFactory.getLogger(TermSignalHandler.class);
    private static final Signal TERM = new Signal("TERM");

    /** Beyond the drain timeout, in case the drain future never completes (a bug): still exit. */
    private static final Duration SAFETY = Duration.ofSeconds(5);

    private final Drain drain;
    private final AtomicBoolean received = new AtomicBoolean();
    private SignalHandler previous;

    TermSignalHandler(Drain drain) {
        this.drain = drain;
    }

    @PostConstruct
    void install() {
        try {
            previous = Signal.handle(TERM, signal -> onTerm());
        } catch (IllegalArgumentException e) {
            // The JVM keeps SIGTERM (e.g. run with -Xrs): its default handling applies.
            LOG.warn("cannot handle SIGTERM, it will stop the process without draining: {}", e.getMessage());
        }
    }

    /** A context closed without exiting (tests) must not leave a handler that drains a dead context. */
    @PreDestroy
    void uninstall() {
        if (previous != null) {
            Signal.handle(TERM, previous);
            previous = null;
        }
    }

    private void onTerm() {
        if (!received.compareAndSet(false, true)) {
            LOG.info("SIGTERM again while draining: ignored, the drain goes on");
            return;
        }
        // Not on the JVM's signal thread: the drain can take the whole timeout, and System.exit
        // from a plain thread runs the shutdown hooks without waiting on ourselves.
        Thread.ofPlatform().name("liteboxd-drain").start(this::drainAndExit);
    }

    private void drainAndExit() {
        long started = System.nanoTime();
        LOG.info("SIGTERM: draining before exit");
        try {
            drain.begin().get(drain.timeout().plus(SAFETY).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("drain did not finish cleanly: {}", e.toString());
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        int requests = drain.activeRequests();
        int sessions = drain.activeSessions();
        LOG.atInfo().addKeyValue("elapsed_ms", elapsedMs).addKeyValue("requests_left", requests)
                .addKeyValue("sessions_left", sessions).addKeyValue("timed_out", requests + sessions > 0)
                .log("drain finished in {} ms with {} requests and {} sessions left; exiting", elapsedMs, requests, sessions);
        System.exit(0);
    }
}
