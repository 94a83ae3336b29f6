package io.liteboxd.api.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * {@code liteboxd.auth.origin}: origins besides the API's own that may use the session cookie
 * ({@code AUTH_ALLOWED_ORIGINS}, comma-separated {@code scheme://host[:port]}; default none).
 * Only these get credentialed CORS answers.
 */
@ConfigurationProperties("liteboxd.auth.origin")
public record OriginSettings(@Bindable(defaultValue = "") @NotNull List<String> allowedOrigins) {}
