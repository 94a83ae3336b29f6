package io.liteboxd.common.lifecycle;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /readyz}: 200 {@code {"status":"ok"}} while serving, 503 with {@code "starting"} or
 * {@code "draining"} otherwise (the upstream body; the gateway adds {@code "service"}). The
 * build's version ({@code LITEBOXD_VERSION}, the image tag) is added when known, so a rollout
 * can be followed from outside. While any {@link ReadinessGate} is closed a started service still
 * answers 503 {@code "starting"}; once all were open it no longer asks them.
 */
@Controller("/readyz")
public class ReadinessController {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessController.class);

    private final Readiness readiness;
    private final List<ReadinessGate> gates;
    private final String service;
    private final String version;
    private volatile boolean gatesOpened;
    private volatile String lastWait;

    ReadinessController(Readiness readiness, List<ReadinessGate> gates,
                        @Nullable @Value("${liteboxd.readiness.service-name:}") String service,
                        @Nullable @Value("${liteboxd.version:}") String version) {
        this.readiness = readiness;
        this.gates = gates;
        this.gatesOpened = gates.isEmpty();
        this.service = service == null || service.isBlank() ? null : service;
        this.version = version == null || version.isBlank() ? null : version;
    }

    @Get
    HttpResponse<ServiceStatus> readyz() {
        return switch (readiness.phase()) {
            case SERVING -> gatesOpen()
                    ? HttpResponse.ok(new ServiceStatus("ok", service, version))
                    : HttpResponse.<ServiceStatus>status(HttpStatus.SERVICE_UNAVAILABLE)
                            .body(new ServiceStatus("starting", service, version));
            case STARTING -> HttpResponse.<ServiceStatus>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ServiceStatus("starting", service, version));
            case DRAINING -> HttpResponse.<ServiceStatus>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ServiceStatus("draining", service, version));
        };
    }

    private boolean gatesOpen() {
        if (gatesOpened) {
            return true;
        }
        for (ReadinessGate gate : gates) {
            String waiting = gate.waitingFor();
            if (waiting != null) {
                if (!waiting.equals(lastWait)) {
                    LOG.info("not ready yet: {}", waiting);
                    lastWait = waiting;
                }
                return false;
            }
        }
        LOG.info("ready: every readiness gate is open");
        gatesOpened = true;
        return true;
    }
}
