package io.liteboxd.common.lifecycle;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * {@code GET /readyz}: 200 {@code {"status":"ok"}} while serving, 503 with {@code "starting"} or
 * {@code "draining"} otherwise (the upstream body; the gateway adds {@code "service"}). The
 * build's version ({@code LITEBOXD_VERSION}, the image tag) is added when known, so a rollout
 * can be followed from outside.
 */
@Controller("/readyz")
public class ReadinessController {

    private final Readiness readiness;
    private final String service;
    private final String version;

    ReadinessController(Readiness readiness,
                        @Nullable @Value("${liteboxd.readiness.service-name:}") String service,
                        @Nullable @Value("${liteboxd.version:}") String version) {
        this.readiness = readiness;
        this.service = service == null || service.isBlank() ? null : service;
        this.version = version == null || version.isBlank() ? null : version;
    }

    @Get
    HttpResponse<ServiceStatus> readyz() {
        return switch (readiness.phase()) {
            case SERVING -> HttpResponse.ok(new ServiceStatus("ok", service, version));
            case STARTING -> HttpResponse.<ServiceStatus>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ServiceStatus("starting", service, version));
            case DRAINING -> HttpResponse.<ServiceStatus>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body(new ServiceStatus("draining", service, version));
        };
    }
}
