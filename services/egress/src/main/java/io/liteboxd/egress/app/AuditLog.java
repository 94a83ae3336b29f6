package io.liteboxd.egress.app;

import io.liteboxd.egress.EgressDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One JSON log line per request (logger {@code io.liteboxd.egress.audit}): a denied request when
 * it is decided, an allowed one when it ends, with the bytes it moved. The fields are key-value
 * pairs of the JSON encoder (common's logback.xml): {@code sandbox} (empty for an unknown
 * client), {@code client}, {@code host}, {@code port}, {@code decision}, {@code reason},
 * {@code bytes_up}, {@code bytes_down}.
 */
final class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.liteboxd.egress.audit");

    private AuditLog() {}

    static void log(EgressDecision decision, long bytesUp, long bytesDown) {
        LoggingEventBuilder line = LOG.atInfo()
                .addKeyValue("sandbox", decision.sandboxId() == null ? "" : decision.sandboxId())
                .addKeyValue("client", decision.client() == null ? "" : decision.client().getAddress().getHostAddress())
                .addKeyValue("host", decision.host())
                .addKeyValue("port", decision.port())
                .addKeyValue("decision", Decision.of(decision).wire())
                .addKeyValue("reason", decision.reason())
                .addKeyValue("bytes_up", bytesUp)
                .addKeyValue("bytes_down", bytesDown);
        line.log("egress {} {}:{} for sandbox {}: {}", Decision.of(decision).wire(), decision.host(), decision.port(),
                decision.sandboxId() == null ? "(unknown)" : decision.sandboxId(), decision.reason());
    }
}
