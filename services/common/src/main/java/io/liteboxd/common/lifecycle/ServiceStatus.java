package io.liteboxd.common.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The upstream probe body, {@code {"status":"ok"}}; {@code service} is left out when the
 * service does not name itself (the gateway does: {@code "service":"gateway"}), and
 * {@code version} (readiness only) when the build does not carry one.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceStatus(String status, @Nullable String service, @Nullable String version) {

    public ServiceStatus(String status, @Nullable String service) {
        this(status, service, null);
    }
}
