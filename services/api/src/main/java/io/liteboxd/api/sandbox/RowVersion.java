package io.liteboxd.api.sandbox;

import io.micronaut.core.annotation.Introspected;

/**
 * A sandbox row's identity and last change, as stored (the {@code updated_at} text is compared,
 * never parsed): what {@link SandboxListCache} needs to know whether its copy of the row is current.
 */
@Introspected
public record RowVersion(String id, String updatedAt) {}
