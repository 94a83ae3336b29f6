package io.liteboxd.egress.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.liteboxd.egress.EgressDecision;
import io.liteboxd.egress.EgressTraffic;
import io.liteboxd.egress.RecentEgress;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /egress/recent?sandbox=<id>}: what a sandbox recently asked for and moved, from this
 * replica's memory (oldest first; the API, in a later slice, asks every replica and merges).
 * Internal: the chart's NetworkPolicy lets only the API reach this port. Without {@code sandbox},
 * every sandbox's, unknown clients included.
 */
@Controller("/egress/recent")
class RecentEgressController {

    /** One decision: {@code sandbox} is empty for a client that is no known sandbox. */
    @Serdeable
    record DecisionView(Instant at, String sandbox, String client, String host, int port, String decision,
                        String reason) {
        static DecisionView of(RecentEgress.Timed<EgressDecision> timed) {
            EgressDecision d = timed.value();
            return new DecisionView(timed.at(), d.sandboxId() == null ? "" : d.sandboxId(),
                    d.client() == null ? "" : d.client().getAddress().getHostAddress(), d.host(), d.port(),
                    Decision.of(d).wire(), d.reason());
        }
    }

    /** One allowed request that ended, with the bytes it moved. */
    @Serdeable
    record TrafficView(Instant at, String sandbox, String host, int port, long bytesUp, long bytesDown) {
        static TrafficView of(RecentEgress.Timed<EgressTraffic> timed) {
            EgressTraffic t = timed.value();
            EgressDecision d = t.decision();
            return new TrafficView(timed.at(), d.sandboxId() == null ? "" : d.sandboxId(), d.host(), d.port(), t.bytesUp(),
                    t.bytesDown());
        }
    }

    /** Both lists always present, empty or not: a caller need not tell "none" from "missing". */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Recent(List<DecisionView> decisions, List<TrafficView> traffic) {}

    private final RecentEgress recent;

    RecentEgressController(RecentEgress recent) {
        this.recent = recent;
    }

    @Get
    Recent recent(@Nullable @QueryValue String sandbox) {
        return new Recent(
                recent.timedDecisions().stream().map(DecisionView::of).filter(d -> sandbox == null || d.sandbox().equals(sandbox))
                        .toList(),
                recent.timedTraffic().stream().map(TrafficView::of).filter(t -> sandbox == null || t.sandbox().equals(sandbox))
                        .toList());
    }
}
