package io.liteboxd.api.files;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Positive;

/**
 * {@code liteboxd.files}: the largest upload accepted (also the HTTP server's
 * {@code max-request-size}, see application.yml), 413 beyond it.
 */
@ConfigurationProperties("liteboxd.files")
public record FileSettings(@Bindable(defaultValue = "1073741824") @Positive long maxUploadBytes) {}
