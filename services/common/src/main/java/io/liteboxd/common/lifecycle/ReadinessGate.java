package io.liteboxd.common.lifecycle;

/**
 * Something besides the HTTP server that has to be in place before a service takes traffic, such
 * as the API's warm database pool: a replica that is Ready before it can answer quickly makes
 * every request the Service sends it wait (on a busy node, past the pool's timeout). Asked on each
 * {@code /readyz} while starting; once every gate has been open the service stays ready (a later
 * outage is answered per request, e.g. 503 with Retry-After, not by leaving the endpoints).
 */
public interface ReadinessGate {

    /** Null when open; otherwise what the service still waits for (logged, and shown on /readyz). */
    String waitingFor();
}
