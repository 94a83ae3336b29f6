package io.liteboxd.common.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code GET /readyz}: 200 {@code {"status":"ok"}} while serving, 503 with {@code "starting"} or
 * {@code "draining"} otherwise (the upstream body; the gateway adds {@code "service"}).
 */
@Controller("/readyz")
public class ReadinessController {

    /** The readiness body; {@code service} is left out when the service does not name itself. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ReadinessStatus(String status, @Nullable String service) {}

    private final Readiness readiness;
    private final String service;

    ReadinessController(Readiness readiness,
                        @Nullable @Value("${liteboxd.readiness.service-name:}") String service) {
        this.readiness = readiness;
        this.service = service == null || service.isBlank() ? null : service;
    }

    @Get
    HttpResponse<ReadinessStatus> readyz() {
        return switch (readiness.phase()) {
            case SERVING -> HttpResponse.ok(new ReadinessStatus("ok", service));
            case STARTING -> HttpResponse.<ReadinessStatus>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ReadinessStatus("starting", service));
            case DRAINING -> HttpResponse.<ReadinessStatus>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ReadinessStatus("draining", service));
        };
    }
}
