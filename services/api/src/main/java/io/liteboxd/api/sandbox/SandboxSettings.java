package io.liteboxd.api.sandbox;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import jakarta.validation.constraints.NotBlank;

/**
 * Where sandboxes live and how users reach them: {@code SANDBOX_NAMESPACE} and
 * {@code GATEWAY_URL} (the gateway's external URL, used to build {@code accessUrl}); and
 * {@code SANDBOX_LAUNCHER_IMAGE}, our static pause image, which holds a template's command until
 * its files and startup script are in place ({@link SandboxLauncher}).
 */
@ConfigurationProperties("liteboxd.sandbox")
@Requires(property = "liteboxd.kubernetes.enabled", notEquals = "false")
public record SandboxSettings(@NotBlank String namespace, @NotBlank String gatewayUrl,
                              @NotBlank String launcherImage) {}
