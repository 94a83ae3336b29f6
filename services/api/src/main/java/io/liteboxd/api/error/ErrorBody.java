package io.liteboxd.api.error;

import io.micronaut.serde.annotation.Serdeable;

/** Upstream's flat error body: {@code {"error":"<message>"}}. */
@Serdeable
public record ErrorBody(String error) {}
