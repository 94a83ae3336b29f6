package io.liteboxd.common.lifecycle;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/**
 * {@code GET /health}: liveness, always 200 {@code {"status":"ok"}} (the upstream body, which
 * LiteBoxd clients expect; micronaut-management's own health is at {@code /management/health}).
 * It stays 200 while draining: a draining pod is alive and must not be restarted.
 */
@Controller("/health")
public class HealthController {

    private final ServiceStatus ok;

    HealthController(@Nullable @Value("${liteboxd.readiness.service-name:}") String service) {
        this.ok = new ServiceStatus("ok", service == null || service.isBlank() ? null : service);
    }

    @Get
    ServiceStatus health() {
        return ok;
    }
}
