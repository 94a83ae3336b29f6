package io.liteboxd.api.prepull;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code liteboxd.prepull}: the helper image (our static pause binary, which lets pre-pull run
 * any image without a shell in it) and how long a pull may take before it counts as failed.
 */
@ConfigurationProperties("liteboxd.prepull")
public record PrepullSettings(@NotBlank String helperImage,
                              @Bindable(defaultValue = "10m") @NotNull Duration defaultTimeout) {}
