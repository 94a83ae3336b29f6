package io.liteboxd.egress.app;

import io.liteboxd.egress.EgressDecision;
import java.util.Locale;

/** A decision as logs and metrics name it: {@code allowed} or {@code denied}. */
enum Decision {
    ALLOWED, DENIED;

    static Decision of(EgressDecision decision) {
        return decision.allowed() ? ALLOWED : DENIED;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The reason without its details ({@code blocked address: 10.0.0.1 (...)} is
     * {@code blocked address}): a metric label must take few values, whatever the hosts asked for.
     */
    static String reasonKind(EgressDecision decision) {
        String reason = decision.reason();
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }
}
