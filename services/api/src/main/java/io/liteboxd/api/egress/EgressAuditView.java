package io.liteboxd.api.egress;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /sandboxes/{id}/egress}: the sandbox's recent egress decisions and the bytes of its
 * finished allowed requests, from every egress proxy replica, oldest first. {@code proxies} were
 * asked, {@code answered} of them replied (a replica that did not is left out, not guessed at).
 * Each proxy keeps its last 1,000 records in memory (`EGRESS_RECENT_CAPACITY`); the complete
 * record is the proxies' audit log lines.
 */
@Serdeable
public record EgressAuditView(List<Decision> decisions, List<Traffic> traffic, int proxies, int answered) {

    /** One decision: {@code decision} is {@code allowed} or {@code denied}, {@code reason} says why. */
    @Serdeable
    public record Decision(Instant at, String host, int port, String decision, String reason) {}

    /** One allowed request that ended, with the bytes it moved each way. */
    @Serdeable
    public record Traffic(Instant at, String host, int port, long bytesUp, long bytesDown) {}
}
