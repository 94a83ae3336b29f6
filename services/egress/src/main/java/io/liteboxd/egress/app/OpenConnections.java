package io.liteboxd.egress.app;

import io.liteboxd.common.lifecycle.Drain;
import io.liteboxd.egress.EgressDecision;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The allowed connections still open, each a {@link Drain.Session}: a drain (SIGTERM) waits for
 * them within its budget, as the gateway's does for its tunnels. Keyed by the decision object,
 * which the proxy hands to {@code decided} and again, inside the traffic record, to
 * {@code finished}. A connection allowed after the drain began (it was accepted just before the
 * listener closed) is not tracked: it ends when the process does.
 */
@Singleton
class OpenConnections {

    private final Drain drain;
    private final Map<EgressDecision, Drain.Session> open = new ConcurrentHashMap<>();

    OpenConnections(Drain drain) {
        this.drain = drain;
    }

    void opened(EgressDecision decision) {
        try {
            open.put(decision, drain.open("egress"));
        } catch (Drain.DrainingException e) {
            // Not waited for; see the class comment.
        }
    }

    void closed(EgressDecision decision) {
        Drain.Session session = open.remove(decision);
        if (session != null) {
            session.close();
        }
    }

    int count() {
        return open.size();
    }
}
