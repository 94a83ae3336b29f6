package io.liteboxd.api.runtime;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code liteboxd.sandbox.runtime}: {@code defaultClass} ({@code SANDBOX_RUNTIME_CLASS}, empty) is the
 * RuntimeClass of sandboxes whose template names none; empty leaves the choice to the cluster
 * (its default runtime, runc on k3s). Checked against the cluster when a sandbox is created, so a
 * RuntimeClass installed after the API started is fine.
 */
@ConfigurationProperties("liteboxd.sandbox.runtime")
public record SandboxRuntimeSettings(@Nullable String defaultClass) {

    public SandboxRuntimeSettings {
        defaultClass = defaultClass == null ? "" : defaultClass.trim();
        if (!defaultClass.isEmpty() && !RuntimeClassNames.isValid(defaultClass)) {
            throw new IllegalArgumentException("liteboxd.sandbox.runtime.default-class is not a valid RuntimeClass name: "
                    + defaultClass);
        }
    }
}
