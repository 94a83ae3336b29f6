package io.liteboxd.api.error;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** Upstream's flat error body: {@code {"error":"<message>"}}. */
@Serdeable
@Schema(name = "Error", description = "The flat error body of every route but templates and images")
public record ErrorBody(String error) {}
