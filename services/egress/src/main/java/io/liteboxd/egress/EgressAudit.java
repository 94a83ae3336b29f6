package io.liteboxd.egress;

/**
 * Receives every decision the proxy makes, and the traffic of the allowed ones. Called on the
 * proxy's network threads: an implementation must return quickly and never block (hand the
 * records to a queue, a log appender, counters).
 *
 * <p>For each request: {@link #decided} exactly once, with its final decision; then, if that
 * decision allowed it, {@link #finished} exactly once, after both of its connections closed.
 * A request the proxy cannot even read (origin-form, malformed) is answered {@code 400} and
 * audited not at all: it names no destination.</p>
 */
public interface EgressAudit {

    void decided(EgressDecision decision);

    void finished(EgressTraffic traffic);
}
