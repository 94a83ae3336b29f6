package io.liteboxd.egress.app;

import io.liteboxd.egress.EgressAudit;
import io.liteboxd.egress.EgressDecision;
import io.liteboxd.egress.EgressTraffic;
import io.liteboxd.egress.RecentEgress;
import jakarta.inject.Singleton;

/**
 * Where every decision goes: the audit log, the metrics, the in-memory ring behind
 * {@code /egress/recent}, and the drain's count of open connections. Called on the proxy's
 * network threads; nothing here blocks (the log appender writes a line, the rest is memory).
 */
@Singleton
class EgressAuditTrail implements EgressAudit {

    private final EgressMetrics metrics;
    private final RecentEgress recent;
    private final OpenConnections open;

    EgressAuditTrail(EgressMetrics metrics, RecentEgress recent, OpenConnections open) {
        this.metrics = metrics;
        this.recent = recent;
        this.open = open;
    }

    @Override
    public void decided(EgressDecision decision) {
        metrics.decided(decision);
        recent.decided(decision);
        if (decision.allowed()) {
            open.opened(decision);
        } else {
            AuditLog.log(decision, 0, 0);
        }
    }

    @Override
    public void finished(EgressTraffic traffic) {
        open.closed(traffic.decision());
        metrics.finished(traffic);
        recent.finished(traffic);
        AuditLog.log(traffic.decision(), traffic.bytesUp(), traffic.bytesDown());
    }
}
